"""A finished reasoning, shown in full when its block is open: plain text, wrapped off the event loop.

Reasoning runs to tens of thousands of characters; wrapping fifty of them on the loop (ctrl+t on a long
conversation, or a resize with them open) froze the screen. It is cut at blank lines into pieces of a few
thousand characters, wrapped on the worker thread, those on screen first (`LazyLines`)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from reasonchat.text.math import in_text
from reasonchat.text.sanitize import clean
from reasonchat.tui.lazy_lines import LazyLines, Lines, Piece, Render, Split
from reasonchat.tui.widgets.final_answer import estimate

PIECE = 3000  # characters: paragraphs are gathered up to about this much per piece


def split_paragraphs(text: str) -> tuple[list[Piece], object]:
    """Paragraphs gathered into pieces of about PIECE characters."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for paragraph in clean(text).split("\n\n"):
        if current and size + len(paragraph) > PIECE:
            pieces.append("\n\n".join(current))
            current, size = [], 0
        current.append(paragraph)
        size += len(paragraph) + 2
    if current and any(p.strip() for p in current):
        pieces.append("\n\n".join(current))
    return [("text", piece) for piece in pieces], None


def render_text(console: Console, piece: Piece, context: object, width: int) -> Lines:
    """A piece, its math drawn as in a line of an answer (`math.in_text`), on the render thread."""
    text = Text(in_text(piece[1]).strip("\n"))
    return console.render_lines(text, console.options.update_width(width), pad=False)


class ReasoningBody(LazyLines):
    DEFAULT_CSS = """
    ReasoningBody { color: $text-muted; text-style: italic; padding: 0 0 0 2; height: auto; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(text, classes="reasoning-text")

    def splitter(self) -> Split:
        return split_paragraphs

    def renderer(self) -> Render:
        return render_text

    def estimate_piece(self, piece: Piece, width: int) -> int:
        return estimate(piece[1], width)
