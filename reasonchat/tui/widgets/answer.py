"""The answer of one turn, rendered as Markdown.

Streaming goes through `Markdown.get_stream()`, which batches appends; new text is handed over at most
20 times a second by the turn's timer (never per token). When the answer ends the turn replaces this
widget with the whole answer rendered once in full (`FinalAnswer`), so the final result does not depend on
how the stream was cut.
"""

from __future__ import annotations

import asyncio

from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownStream

from reasonchat.sanitize import clean


class AnswerView(Markdown):
    DEFAULT_CSS = """
    AnswerView { margin: 0 0 0 0; padding: 0 1; background: $background; }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(clean(text))
        self._stream: MarkdownStream | None = None
        self._shown = 0  # characters of the answer already handed to the stream

    async def feed(self, content: str) -> None:
        """Append what is new in `content` since the last call."""
        if len(content) < self._shown:  # the answer so far was re-labelled as reasoning
            await self._reset()
        if len(content) == self._shown:
            return
        if self._stream is None:
            self._stream = Markdown.get_stream(self)
        fresh, self._shown = content[self._shown :], len(content)
        await self._stream.write(clean(fresh))

    async def stop(self) -> None:
        """No more text is coming (the turn then shows the finished answer in one piece)."""
        await self._stop_stream()

    async def _reset(self) -> None:
        await self._stop_stream()
        self._shown = 0
        await self.update("")

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
