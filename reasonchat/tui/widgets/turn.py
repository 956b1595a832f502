"""One assistant turn: the reasoning block above the streamed Markdown answer, and a note when it ended
badly (error, stopped, interrupted, cut at max tokens).

The worker that streams never touches widgets: it folds events into a `Reply`, and `tick()` — run by a
timer while the turn is live — copies what changed onto the screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reasonchat.core.reply import Reply
from reasonchat.sanitize import clean_line
from reasonchat.tui.widgets.answer import AnswerView
from reasonchat.tui.widgets.reasoning_block import ReasoningBlock


def ending_note(status: str, finish_reason: str | None, error: str | None) -> str:
    """The line under an answer that did not simply finish."""
    if status == "stopped":
        return "■ stopped — what arrived is kept"
    if status in ("interrupted", "error"):
        kind = "interrupted" if status == "interrupted" else "error"
        return f"✗ {kind}: {clean_line(error or 'the stream broke off')}"
    if finish_reason == "length":
        return "✂ cut at the max tokens limit (finish_reason: length)"
    if finish_reason not in (None, "stop"):
        return f"the answer ended early (finish_reason: {clean_line(finish_reason or '')})"
    return ""


class AssistantTurn(Vertical):
    DEFAULT_CSS = """
    AssistantTurn { height: auto; margin: 1 0 0 0; }
    AssistantTurn .note { color: $warning; padding: 0 1; }
    AssistantTurn .note.-error { color: $error; }
    """

    def __init__(self, reply: Reply, mode: str, message_id: int | None = None) -> None:
        super().__init__()
        self.reply = reply
        self.message_id = message_id
        self.reasoning = ReasoningBlock(mode)
        self.answer = AnswerView()
        self.note = Static("", classes="note", markup=False)
        self.note.display = False

    def compose(self) -> ComposeResult:
        yield self.reasoning
        yield self.answer
        yield self.note

    def on_mount(self) -> None:
        self.reasoning.set_mode(self.reasoning.mode, answering=bool(self.reply.content))
        self.reasoning.show(self.reply)

    async def tick(self) -> None:
        """Copy new text from the reply onto the screen (a timer calls this while the answer streams)."""
        self.reasoning.show(self.reply)
        await self.answer.feed(self.reply.content)

    async def finish(self) -> None:
        """The answer ended: full render once, the final title, and a note if it ended badly."""
        reply = self.reply
        self.reasoning.show(reply)
        await self.answer.finish(reply.content)
        self.answer.display = bool(reply.content)
        note = ending_note(reply.status, reply.finish_reason, reply.error)
        self.note.update(note)
        self.note.display = bool(note)
        self.note.set_class(reply.status in ("error", "interrupted"), "-error")

    def set_mode(self, mode: str) -> None:
        self.reasoning.set_mode(mode, answering=bool(self.reply.content) or self.reply.done)
