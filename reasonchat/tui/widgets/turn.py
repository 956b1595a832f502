"""One assistant turn: the reasoning block above the streamed Markdown answer, and a note when it ended
badly (error, stopped, interrupted, cut at max tokens).

The worker that streams never touches widgets: it folds events into a `Reply`, and `tick()` — run by a
timer while the turn is live — copies what changed onto the screen. A live answer keeps only its last
block as a live Markdown widget (see `answer`); a stored one is a single static renderable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reasonchat.core.reply import Reply
from reasonchat.text.sanitize import clean_line
from reasonchat.tui.widgets.reasoning_block import ReasoningBlock

BURST = 80  # characters of new answer text: less than a line is shown at once, more waits for every 2nd tick

if TYPE_CHECKING:
    from reasonchat.tui.widgets.answer import AnswerView
    from reasonchat.tui.widgets.final_answer import FinalAnswer


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
        # Live while streaming; a finished (or stored) answer is one static renderable instead. Both
        # Markdown engines are imported on first use, keeping them off the start-up path.
        self.live: AnswerView | None = None
        self.final: FinalAnswer | None = None
        if not reply.done:
            from reasonchat.tui.widgets.answer import AnswerView

            self.live = AnswerView()
        elif reply.content:
            from reasonchat.tui.widgets.final_answer import FinalAnswer

            self.final = FinalAnswer(reply.content)
        self.note = Static("", classes="note", markup=False)
        self._note()
        self._ticks = 0

    def compose(self) -> ComposeResult:
        yield self.reasoning
        if self.live is not None:
            yield self.live
        if self.final is not None:
            yield self.final
        yield self.note

    def on_mount(self) -> None:
        self.reasoning.set_mode(self.reasoning.mode, answering=bool(self.reply.content) or self.reply.done)
        self.reasoning.show(self.reply)

    async def tick(self) -> None:
        """Copy new text from the reply onto the screen (a timer calls this while the answer streams).

        The reasoning's title and tail are cheap to redraw and follow every tick. The answer is not: new
        lines lay out and repaint the whole scrolling conversation, so a burst (more than a line's worth
        of new text) waits for every other tick, while a trickle of words still shows at once."""
        self.reasoning.show(self.reply)
        self._ticks += 1
        live = self.live
        if live is not None and (self._ticks % 2 == 0 or live.behind(self.reply.content) < BURST):
            await live.feed(self.reply.content)

    async def finish(self) -> None:
        """The answer ended: the final title, the last block settled, a note if it ended badly."""
        reply = self.reply
        self.reasoning.show(reply)
        if self.live is not None:
            await self.live.stop(reply.content)
        self._note()

    def shown_markdown(self) -> str:
        """The Markdown the finished turn shows, as its static blocks hold it (controls removed)."""
        from reasonchat.tui.widgets.final_answer import FinalAnswer

        return "\n\n".join(block.shown for block in self.query(FinalAnswer))

    def _note(self) -> None:
        reply = self.reply
        note = ending_note(reply.status, reply.finish_reason, reply.error) if reply.done else ""
        self.note.update(note)
        self.note.display = bool(note)
        self.note.set_class(reply.status in ("error", "interrupted"), "-error")

    def set_mode(self, mode: str) -> None:
        self.reasoning.set_mode(mode, answering=bool(self.reply.content) or self.reply.done)
