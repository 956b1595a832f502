"""One assistant turn: the reasoning block above the streamed Markdown answer, and a note when it ended
badly (error, stopped, interrupted, cut at max tokens). An answer that calls tools interleaves its rounds:
each finished round (its reasoning, its calls) above the round in progress, whose calls follow their state.

The worker that streams never touches widgets: it folds events into a `Reply`, and `tick()` — run by a
timer while the turn is live — copies what changed onto the screen. A live answer keeps only its last
block as a live Markdown widget (see `answer`); a stored one is a single static renderable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reasonchat.core.reply import Reply
from reasonchat.text.sanitize import clean_line
from reasonchat.tui.widgets.reasoning_block import ReasoningBlock
from reasonchat.tui.widgets.tool_call import ToolCallLine
from reasonchat.tui.widgets.tool_round import ToolRound

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


async def _shielded(work: Coroutine[Any, Any, None]) -> None:
    """Run `work` to its end even if the await is cancelled. While something awaits it, its error travels
    as usual; once nobody does (the screen closed under it), the error is taken here, not logged at exit."""
    task = asyncio.ensure_future(work)
    task.add_done_callback(lambda done: done.cancelled() or done.exception())
    await asyncio.shield(task)


class AssistantTurn(Vertical):
    DEFAULT_CSS = """
    AssistantTurn { height: auto; margin: 1 0 0 0; }
    AssistantTurn .note { color: $warning; padding: 0 1; }
    AssistantTurn .note.-error { color: $error; }
    AssistantTurn > .rounds, AssistantTurn > .calls { height: auto; }
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
        # The timer's tick and the final `finish` each await mounts and removals: one at a time, so `finish`
        # waits for a tick in flight and a timer stopped after it has no tick left to cut short.
        self._drawing = asyncio.Lock()
        self._finished = False
        self.rounds = Vertical(*(ToolRound(r, reply.model, mode) for r in reply.rounds), classes="rounds")
        self.calls = Vertical(*(ToolCallLine(c) for c in reply.calls), classes="calls")
        self._rounds_shown = len(reply.rounds)
        self._lines: dict[int, ToolCallLine] = {id(line.call.call): line for line in self.calls.children
                                                if isinstance(line, ToolCallLine)}

    def compose(self) -> ComposeResult:
        yield self.rounds
        yield self.reasoning
        yield self.calls
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
        of new text) waits for every other tick, while a trickle of words still shows at once.

        Shielded, as `finish` is: a timer stopped mid-tick (the answer ended, the screen closed) cancels the await,
        never the mounts and removals under way — Textual's removal cut short leaves a widget in the tree whose
        messages nobody reads, and every later wait on the screen hangs."""
        await _shielded(self._tick())

    async def _tick(self) -> None:
        async with self._drawing:
            if self._finished:
                return  # (the answer ended while this tick waited)
            await self._follow_rounds()
            self.reasoning.show(self.reply)
            self._ticks += 1
            live = self.live
            if live is not None and (self._ticks % 2 == 0 or live.behind(self.reply.content) < BURST):
                await live.feed(self.reply.content)

    async def _follow_rounds(self) -> None:
        """A round that ended joins those above (with a new block for the next round's reasoning); the current
        round's calls follow their state."""
        reply = self.reply
        if self._rounds_shown < len(reply.rounds):
            new = [ToolRound(r, reply.model, self.reasoning.mode) for r in reply.rounds[self._rounds_shown:]]
            self._rounds_shown = len(reply.rounds)
            await self.rounds.mount_all(new)
            await self.calls.remove_children()
            self._lines = {}
            old, self.reasoning = self.reasoning, ReasoningBlock(self.reasoning.mode)
            await self.mount(self.reasoning, before=self.calls)
            await old.remove()
        for call in reply.calls:
            line = self._lines.get(id(call.call))
            if line is None:
                self._lines[id(call.call)] = line = ToolCallLine(call)
                await self.calls.mount(line)
            else:
                line.show(call)

    async def finish(self) -> None:
        """The answer ended: the final title, the last block settled, a note if it ended badly."""
        await _shielded(self._finish())

    async def _finish(self) -> None:
        async with self._drawing:
            reply = self.reply
            await self._follow_rounds()
            self.reasoning.show(reply)
            if self.live is not None:
                await self.live.stop(reply.content)
            self._note()
            self._finished = True

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
        for done in self.rounds.query(ToolRound):
            done.set_mode(mode)
