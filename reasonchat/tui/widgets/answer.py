"""The answer of one turn while it streams: settled blocks as static Markdown, the block being written live.

Only the block still being written streams through `Markdown.get_stream()`, fed at most 15 times a second
by the turn's timer (never per token). As soon as a block is complete — a blank line outside a code fence,
followed by a line that does not continue it — it moves into a static renderable (`FinalAnswer`),
rendered once in full. A live `Markdown` widget is a tree of block widgets (every paragraph, table cell and
code fence), so keeping only the last block live keeps the cost of each update flat however long the
answer grows, and nothing has to be rebuilt when the answer ends.
"""

from __future__ import annotations

import asyncio

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from reasonchat.sanitize import clean
from reasonchat.tui.widgets.final_answer import PADDING, FinalAnswer, prerender

_FENCES = ("```", "~~~")


def settle_point(text: str) -> int:
    """Where the complete blocks at the start of `text` end (0 if none is complete yet).

    A block is complete at a blank line outside a fenced code block, when the next line has started and
    does not continue the block (an indented line could still belong to a list item above it).
    """
    point = 0
    fence = ""
    position = 0
    lines = text.split("\n")
    for index, line in enumerate(lines[:-1]):  # the last line may still be growing
        position += len(line) + 1
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(_FENCES):
            fence = stripped[:3]
            continue
        following = lines[index + 1]
        if not stripped and following and not following[0].isspace():
            point = position
    return point


class AnswerView(Vertical):
    DEFAULT_CSS = """
    AnswerView { height: auto; }
    AnswerView > FinalAnswer { margin: 0 0 1 0; }
    AnswerView > Markdown { margin: 0 0 0 0; padding: 0 1; background: $background; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._live = Markdown("")
        self._stream: MarkdownStream | None = None
        self._settled = 0  # characters of the answer already in static blocks
        self._written = 0  # characters of the answer handed to the live block
        self._lock = asyncio.Lock()  # the timer's feed and the final stop never interleave

    def compose(self) -> ComposeResult:
        yield self._live

    def behind(self, content: str) -> int:
        """How many characters of `content` the screen has not shown yet."""
        return len(content) - self._written

    async def feed(self, content: str) -> None:
        """Show what is new in `content` since the last call."""
        async with self._lock:
            await self._feed(content)

    async def _feed(self, content: str) -> None:
        if len(content) < self._written:  # the answer so far was re-labelled as reasoning
            await self._restart()
        if len(content) == self._written:
            return
        point = self._settled + settle_point(content[self._settled :])
        if point > self._settled:
            await self._settle(content[self._settled : point])
            self._settled = point
            await self._stop_stream()
            rest = content[point:]
            await self._live.update(clean(rest))
            self._written = len(content)
            return
        if self._stream is None:
            self._stream = Markdown.get_stream(self._live)
        fresh, self._written = content[self._written :], len(content)
        await self._stream.write(clean(fresh))

    async def stop(self, content: str) -> None:
        """The answer is complete: the last block settles too, and nothing stays live."""
        async with self._lock:
            await self._stop_stream()
            if len(content) > self._settled:
                await self._settle(content[self._settled :])
                self._settled = self._written = len(content)
            await self._live.remove()

    async def _settle(self, text: str) -> None:
        text = text.strip("\n")
        if not text.strip():
            return
        width = self.content_region.width - PADDING
        ready = None
        if width > 0:  # render in a thread: the loop keeps drawing while Rich and Pygments work
            lines = await asyncio.to_thread(prerender, self.app.console, clean(text), width)
            ready = (width, lines)
        await self.mount(FinalAnswer(text, ready), before=self._live)

    async def _restart(self) -> None:
        await self._stop_stream()
        await self.query(FinalAnswer).remove()
        await self._live.update("")
        self._settled = self._written = 0

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
