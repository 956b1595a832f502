"""An answer's Markdown as rendered lines: its top-level blocks, each rendered on its own, one blank line apart.

A finished or stored answer is split into its blocks (`markdown_blocks.split_blocks`, on the worker thread); a
streaming one is given the same blocks as they complete (`AnswerView`), so both render alike, line for line.
Each block is rendered with the answer's reference definitions, which models put at the very end. Rendering
happens off the event loop, the blocks on screen first (`LazyLines`): a long answer costs the loop one list
lookup per line drawn. Links are shown with their target (`hyperlinks=False`) so a label can never hide
where it points.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console

from reasonchat.text.markdown import blocks_and_definitions, reference_definitions
from reasonchat.text.rich_markdown import AnswerMarkdown
from reasonchat.text.sanitize import clean
from reasonchat.tui.lazy_lines import LazyLines, Lines, Piece, Render, Split, trim

PADDING = 2  # the widget's left + right padding, in cells: its lines are that much narrower than it
_DEFINITION = re.compile(r"\s*\[[^\]]+\]:\s")


def render_block(console: Console, block: str, width: int) -> Lines:
    """One Markdown block at `width`; safe on a worker thread (it only reads)."""
    text = clean(block).strip("\n")
    if not text.strip():
        return []
    return trim(console.render_lines(AnswerMarkdown(text), console.options.update_width(width), pad=False))


def render_piece(console: Console, piece: Piece, context: object, width: int) -> Lines:
    """A block of an answer, given the answer's reference definitions (`context`)."""
    return render_block(console, piece[1] + (context if isinstance(context, str) else ""), width)


def render_blocks(console: Console, blocks: Sequence[str], definitions: str, width: int) -> Lines:
    """`blocks` rendered at `width`, one blank line apart, as the widget lays them out."""
    out: Lines = []
    for block in blocks:
        lines = render_block(console, block + definitions, width)
        if lines:
            if out:
                out.append([])
            out.extend(lines)
    return out


def answer_pieces(text: str) -> tuple[list[Piece], str]:
    """An answer's blocks as pieces, and its reference definitions as text to append to each."""
    blocks, definitions = blocks_and_definitions(text)
    return [("md", block) for block in blocks], (f"\n\n{definitions}" if definitions else "")


def estimate(text: str, width: int) -> int:
    """Lines `text` will take at `width`, roughly. Called for every piece not yet rendered at every layout, so
    it stays at C speed: a line's cells are taken as the mean of its characters and its UTF-8 bytes (ASCII
    one cell, CJK two)."""
    width = max(8, width)
    total = 0
    for line in text.strip("\n").split("\n"):
        if line.startswith("[") and _DEFINITION.match(line):
            continue
        cells = (len(line) + len(line.encode("utf-8", "replace"))) // 2
        total += -(-cells // width) or 1
    return total


class FinalAnswer(LazyLines):
    DEFAULT_CSS = """
    FinalAnswer { padding: 0 1; margin: 1 0 0 0; height: auto; }
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text, context="")

    @property
    def blocks(self) -> list[str]:
        return [text for _, text in self.pieces]

    @property
    def text(self) -> str:
        return "".join(text for _, text in self._pieces) if self._pieces is not None else self._source

    @property
    def shown(self) -> str:
        """The Markdown it renders (controls removed)."""
        return clean(self.text)

    def splitter(self) -> Split:
        return answer_pieces

    def renderer(self) -> Render:
        return render_piece

    def estimate_piece(self, piece: Piece, width: int) -> int:
        return estimate(piece[1], width)

    def append_blocks(self, blocks: list[str], lines: Lines, width: int) -> None:
        self.append([("md", block) for block in blocks], lines, width)

    def settle_definitions(self, text: str) -> None:
        """The answer is complete: if reference definitions came after blocks that use them, render again."""
        definitions = reference_definitions(text)
        context = f"\n\n{definitions}" if definitions else ""
        if context != self.context:
            self.context = context
            self.changed()

