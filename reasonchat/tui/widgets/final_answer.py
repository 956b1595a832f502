"""A finished answer: its whole Markdown as one static renderable.

A live `Markdown` widget is a tree of block widgets (every paragraph, table cell and code fence), and
layout work grows with every one of them; ten long answers left on screen that way slow a new stream
several-fold, and re-rendering a long answer as a fresh tree took seconds. One Rich renderable per
finished answer costs one widget. Links are shown with their target (`hyperlinks=False`) so a label
can never hide where it points. A block settled while an answer streams arrives pre-rendered from a
worker thread (`prerender`), so Markdown parsing and syntax highlighting stay out of the UI loop.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from textual import events
from textual.widgets import Static

from reasonchat.sanitize import clean

PADDING = 2  # the widget's left + right padding, in cells


def markdown(text: str) -> RichMarkdown:
    return RichMarkdown(text, code_theme="monokai", hyperlinks=False)


def prerender(console: Console, text: str, width: int) -> list[list[Segment]]:
    """Render Markdown to lines of segments (safe in a worker thread: it only reads the console)."""
    return console.render_lines(markdown(text), console.options.update_width(width), pad=False)


class Prerendered:
    """Lines rendered ahead of time: measuring and drawing them is cheap, whatever the Markdown was."""

    def __init__(self, lines: list[list[Segment]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines:
            yield from line
            yield Segment.line()

    def __iter__(self) -> Iterator[list[Segment]]:
        return iter(self.lines)


class FinalAnswer(Static):
    DEFAULT_CSS = """
    FinalAnswer { padding: 0 1; margin: 1 0 0 0; height: auto; }
    """

    def __init__(self, text: str, prerendered: tuple[int, list[list[Segment]]] | None = None) -> None:
        self.text = text
        self.shown = clean(text)  # what is rendered: the text without terminal controls
        self._width = prerendered[0] if prerendered else 0
        super().__init__(Prerendered(prerendered[1]) if prerendered else markdown(self.shown))

    def on_resize(self, event: events.Resize) -> None:
        if self._width and event.size.width != self._width:
            self._width = 0  # rendered for another width: render for this one (and any later one)
            self.update(markdown(self.shown))
