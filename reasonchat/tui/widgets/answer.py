"""The answer of one turn while it streams: complete blocks as rendered lines, the block being written live.

Only the block still being written streams through `Markdown.get_stream()`, fed at most 15 times a second by
the turn's timer (never per token). As soon as a block is complete (`markdown_blocks.Settler`: the next block
has started on a whole line) it is rendered on a worker thread and joins the answer's `FinalAnswer` — the
same blocks, rendered the same way, as the finished answer reopened from history. A live `Markdown` widget is
a tree of block widgets (every paragraph, table cell and code fence), so keeping only the last block live
keeps the cost of each update flat however long the answer grows, and nothing is rebuilt when it ends.

A table row still arriving is held back from the live block: a half-received `|---|` row would otherwise
show, for a refresh or more, as a paragraph of pipes and dashes.
"""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from reasonchat.text.markdown import Settler, render_parser
from reasonchat.text.sanitize import clean
from reasonchat.tui.widgets.final_answer import PADDING, FinalAnswer, render_blocks


def shown_live(text: str) -> str:
    """What of the unsettled text the live block shows: all of it, but an unfinished table row."""
    start = text.rfind("\n") + 1
    return text[:start] if text[start:].lstrip().startswith("|") else text


class AnswerView(Vertical):
    DEFAULT_CSS = """
    AnswerView { height: auto; }
    AnswerView > Markdown { margin: 1 0 0 0; padding: 0 1; background: $background; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.final = FinalAnswer()
        self._live = Markdown("", parser_factory=render_parser)  # the settled blocks' parser
        self._stream: MarkdownStream | None = None
        self._settler = Settler()
        self._written = 0  # characters of the answer handed to the live block (settled ones included)
        self._lock = asyncio.Lock()  # the timer's feed and the final stop never interleave

    def compose(self) -> ComposeResult:
        self.final.display = False  # until its first block completes
        yield self.final
        yield self._live

    def behind(self, content: str) -> int:
        """How many characters of `content` the screen has not shown yet."""
        return len(content) - self._written

    async def feed(self, content: str) -> None:
        """Show what is new in `content` since the last call."""
        async with self._lock:
            await self._feed(content)

    async def _feed(self, content: str) -> None:
        if len(content) < self._settler.settled or len(content) < self._written:
            await self._restart()  # the answer so far was re-labelled as reasoning
        blocks = self._settler.feed(content)
        if blocks:
            await self._settle(blocks)
            await self._stop_stream()
            rest = shown_live(content[self._settler.settled :])
            await self._live.update(clean(rest))
            self._written = self._settler.settled + len(rest)
            return
        visible = self._settler.settled + len(shown_live(content[self._settler.settled :]))
        if visible <= self._written:
            return
        if self._stream is None:
            self._stream = Markdown.get_stream(self._live)
        fresh, self._written = content[self._written : visible], visible
        await self._stream.write(clean(fresh))

    async def stop(self, content: str) -> None:
        """The answer is complete: the last blocks settle too, and nothing stays live."""
        async with self._lock:
            await self._stop_stream()
            if len(content) < self._settler.settled:
                await self._restart()
            blocks = self._settler.finish(content)
            if blocks:
                await self._settle(blocks)
            self._written = len(content)
            self.final.settle_definitions(content)
            await self._live.remove()

    async def _settle(self, blocks: list[str]) -> None:
        """Render complete blocks on a worker thread (the loop keeps drawing), then show them."""
        width = self.final.content_region.width or max(0, self.content_region.width - PADDING)
        self.final.display = True
        definitions = self.final.context if isinstance(self.final.context, str) else ""
        if width <= 0:  # not laid out yet: the blocks are rendered when it is
            self.final.append_blocks(blocks, [], 0)
            return
        lines = await asyncio.to_thread(render_blocks, self.app.console, blocks, definitions, width)
        self.final.append_blocks(blocks, lines, width)

    async def _restart(self) -> None:
        await self._stop_stream()
        await self.final.remove()
        self.final = FinalAnswer()
        self.final.display = False
        await self.mount(self.final, before=self._live)
        await self._live.update("")
        self._settler = Settler()
        self._written = 0

    async def _stop_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            await stream.stop()
        except asyncio.CancelledError:
            # A stream stopped before its task ever ran re-raises that task's cancellation; only a
            # cancellation of *this* task must travel on.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
