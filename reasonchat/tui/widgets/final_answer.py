"""A finished answer (or a settled block of one): its Markdown rendered once, drawn line by line.

A live `Markdown` widget is a tree of block widgets (every paragraph, table cell and code fence), and
layout work grows with every one of them; ten long answers left on screen that way slow a new stream
several-fold, and re-rendering a long answer as a fresh tree took seconds. One widget of pre-rendered
lines per finished answer costs one list lookup per line. Links are shown with their target
(`hyperlinks=False`) so a label can never hide where it points. A block settled while an answer streams
arrives pre-rendered from a worker thread (`prerender`), so Markdown parsing and syntax highlighting stay
out of the UI loop.
"""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from reasonchat.sanitize import clean

PADDING = 2  # the widget's left + right padding, in cells


def markdown(text: str) -> RichMarkdown:
    return RichMarkdown(text, code_theme="monokai", hyperlinks=False)


def prerender(console: Console, text: str, width: int) -> list[list[Segment]]:
    """Render Markdown to lines of segments (safe in a worker thread: it only reads the console)."""
    return console.render_lines(markdown(text), console.options.update_width(width), pad=False)


class FinalAnswer(Widget):
    """Drawn line by line from lines rendered once per width (Textual's line API).

    Measuring and drawing it then costs a list lookup, however long the Markdown was: the layout pass
    that follows every block settling never renders Markdown again.
    """

    DEFAULT_CSS = """
    FinalAnswer { padding: 0 1; margin: 1 0 0 0; height: auto; }
    """

    def __init__(self, text: str, prerendered: tuple[int, list[list[Segment]]] | None = None) -> None:
        super().__init__()
        self.text = text
        self.shown = clean(text)  # what is rendered: the text without terminal controls
        self._width = 0
        self._strips: list[Strip] = []
        if prerendered is not None:
            self._keep(*prerendered)

    def _keep(self, width: int, lines: list[list[Segment]]) -> None:
        self._width = width
        self._strips = [Strip(line) for line in lines]

    def _lines(self, width: int) -> list[Strip]:
        if width != self._width and width > 0:  # first shown, or shown at another width: render for this one
            self._keep(width, prerender(self.app.console, self.shown, width))
        return self._strips

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render_line(self, y: int) -> Strip:
        strips = self._strips  # rendered for the width the last layout measured (`get_content_height`)
        strip = strips[y] if y < len(strips) else Strip.blank(self._width)
        return strip.apply_style(self.rich_style)  # the widget's colours under the Markdown's own
