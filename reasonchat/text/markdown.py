"""The Markdown structure of model text, from one CommonMark parser (markdown-it-py, the one Rich renders with).

Three places need to know where code is and where blocks end: settling a streamed answer block by block,
escaping HTML in an export without touching code (and moving its headings down), and copying a code block.
Hand-written fence scanners disagreed with each other and with the renderer (a ```` fence holding a ```
fence settled mid-code); one parser, asked the same way everywhere, cannot. The
renderers parse with the same configuration (`render_parser`).

An answer is shown as its top-level blocks, each rendered on its own (`split_blocks`). A streamed answer is
cut into the very same blocks as it arrives (`Settler`), so the answer on screen while it streams and the
same answer reopened from history are made of the same pieces and render alike. Reference definitions
(`[1]: https://…`) may come at the very end, so they are kept apart and given to every block's rendering.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@lru_cache(maxsize=1)
def render_parser() -> MarkdownIt:
    """The parser an answer is drawn with, its settled blocks (Rich) and its live block (Textual) alike:
    CommonMark with tables and strikethrough, as Rich enables, and raw HTML off. A terminal cannot draw
    `<div>`, and with HTML on both renderers dropped it — words went missing: "use Vec<T> in a <div>" showed
    as "use Vec in a". With HTML off it is text, shown as the model wrote it. One instance, shared (a parse
    keeps its state in objects of its own): the live block asks for a parser at every update. Math in LaTeX
    is drawn as Unicode (reasonchat/text/math.py)."""
    from markdown_it import MarkdownIt

    from reasonchat.text.math import math_plugin

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).use(math_plugin)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # `render_parser`, but only the block level: every question asked here is about blocks (where code is,
    # where a block ends, which lines are headings), and inline parsing was half the time.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("inline")


@lru_cache(maxsize=4)
def tokens(text: str) -> tuple[Token, ...]:
    """The block tokens of `text`; the last few texts' are kept (a text is often asked about twice)."""
    return tuple(_parser().parse(text))


class Structure(NamedTuple):
    """Where a text's code and headings are, by line: what an export needs to escape HTML outside code and
    to move the model's headings under its own."""

    code_lines: set[int]  # lines inside fenced or indented code, fence lines included
    headings: list[tuple[int, int, int, bool]]  # (first line, end line, level, setext: underlined with = or -)


def structure(text: str) -> Structure:
    code: set[int] = set()
    headings: list[tuple[int, int, int, bool]] = []
    for token in tokens(text):
        if token.map is None:
            continue
        first, end = token.map
        if token.type in ("fence", "code_block"):
            code.update(range(first, end))
        elif token.type == "heading_open":
            headings.append((first, end, int(token.tag[1]), token.markup in ("=", "-")))
    return Structure(code, headings)


def code_blocks(text: str) -> list[str]:
    """The contents of the fenced and indented code blocks of `text`, in order (nested ones included)."""
    return [token.content for token in tokens(text) if token.type in ("fence", "code_block")]


def _block_starts(text: str) -> list[int]:
    """Line numbers where the top-level blocks of `text` start."""
    return [t.map[0] for t in tokens(text) if t.level == 0 and t.nesting >= 0 and t.map is not None]


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for index, char in enumerate(text):
        if char == "\n":
            offsets.append(index + 1)
    return offsets


def split_blocks(text: str) -> list[str]:
    """`text` cut at the start of each top-level block; the pieces join back into `text`. Blank lines and
    reference definitions go with the block before them."""
    return _cut(text, _block_starts(text))


def _cut(text: str, starts: list[int]) -> list[str]:
    if len(starts) < 2:
        return [text] if text else []
    offsets = _line_offsets(text)
    cuts = [0, *(offsets[line] for line in starts[1:]), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts) if b > a]


def blocks_and_definitions(text: str) -> tuple[list[str], str]:
    """`split_blocks(text)` and `reference_definitions(text)` from one parse (parsing is most of the cost)."""
    env: dict[str, object] = {}
    tokens = _parser().parse(text, env)
    starts = [t.map[0] for t in tokens if t.level == 0 and t.nesting >= 0 and t.map is not None]
    return _cut(text, starts), _definitions(env)


def reference_definitions(text: str) -> str:
    """The link reference definitions of `text`, one per line (`[label]: url "title"`), for rendering a block
    of it on its own: a reference link renders as a link only where its definition is in the same document."""
    env: dict[str, object] = {}
    _parser().parse(text, env)
    return _definitions(env)


def _definitions(env: dict[str, object]) -> str:
    references = env.get("references")
    if not isinstance(references, dict):
        return ""
    lines = []
    for label, target in references.items():
        href = target.get("href", "") if isinstance(target, dict) else ""
        title = target.get("title", "") if isinstance(target, dict) else ""
        quoted = f' "{title}"' if title and '"' not in title else ""
        lines.append(f"[{label}]: <{href}>{quoted}" if " " in href else f"[{label}]: {href}{quoted}")
    return "\n".join(lines)


class Settler:
    """Cuts a streamed answer into the blocks `split_blocks` finds in the finished one, as soon as each is
    complete: a block is complete once the next one has started on a whole line (an unfinished last line
    could still change what the lines before it are: `#` starts a heading, `#x` continues a paragraph).
    Only the text after what has settled is parsed each time."""

    def __init__(self) -> None:
        self.settled = 0  # characters of the answer already cut into blocks

    def feed(self, text: str) -> list[str]:
        """New complete blocks of `text` (the answer so far)."""
        end = text.rfind("\n") + 1
        if end <= self.settled:
            return []
        pieces = split_blocks(text[self.settled : end])
        if len(pieces) < 2:
            return []
        done = pieces[:-1]  # the last block may still grow
        self.settled += sum(map(len, done))
        return done

    def finish(self, text: str) -> list[str]:
        """The rest of the finished answer, cut into its blocks."""
        rest = split_blocks(text[self.settled :])
        self.settled = len(text)
        return rest
