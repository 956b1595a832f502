"""The Markdown structure of model text, from one CommonMark parser (markdown-it-py, the one Rich renders with).

Three places need to know where code is and where blocks end: settling a streamed answer block by block,
escaping HTML in an export without touching code, and copying a code block. Hand-written fence scanners
disagreed with each other and with the renderer (a ```` fence holding a ``` fence settled mid-code); one
parser, asked the same way everywhere, cannot.

An answer is shown as its top-level blocks, each rendered on its own (`split_blocks`). A streamed answer is
cut into the very same blocks as it arrives (`Settler`), so the answer on screen while it streams and the
same answer reopened from history are made of the same pieces and render alike. Reference definitions
(`[1]: https://…`) may come at the very end, so they are kept apart and given to every block's rendering.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_ATX = re.compile(r"^(?P<lead>[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?[ \t>]*)(?P<hashes>#{1,6})(?=[ \t]|$)")
_SETEXT_LINE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$")
# Any line `demote_headings` could change: an ATX heading line or a setext underline, as the two above see them.
_MAYBE_HEADING = re.compile(f"{_ATX.pattern}|{_SETEXT_LINE.pattern}", re.MULTILINE)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # What rich.markdown enables, but only the block level: every question asked here is about blocks (where
    # code is, where a block ends, which lines are headings), and inline parsing was half the time.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("inline")


@lru_cache(maxsize=4)
def _tokens(text: str) -> tuple[Token, ...]:
    """The block tokens of `text`; the last few texts' are kept (an export asks twice of the same text, when
    demoting its headings and when finding its code)."""
    return tuple(_parser().parse(text))


def code_blocks(text: str) -> list[str]:
    """The contents of the fenced and indented code blocks of `text`, in order (nested ones included)."""
    return [token.content for token in _tokens(text) if token.type in ("fence", "code_block")]


def code_lines(text: str) -> set[int]:
    """Line numbers inside code blocks: fences (with their fence lines) and indented code."""
    lines: set[int] = set()
    for token in _tokens(text):
        if token.type in ("fence", "code_block") and token.map is not None:
            lines.update(range(*token.map))
    return lines


def demote_headings(text: str, by: int = 2, *, shaped_as: str | None = None) -> str:
    """Every heading of `text` `by` levels deeper (at most level 6), outside code: a model's own `# Title`
    becomes `### Title`, so it sits under a document's `## Assistant` instead of beside it. Setext headings
    (a line underlined with === or ---) become ATX headings of their new level. `shaped_as`: a text with the
    same blocks on the same lines whose parse can stand for `text`'s (an export escapes HTML first, line by
    line, and need not parse twice)."""
    if not _MAYBE_HEADING.search(text):  # no line it could change (most reasoning): nothing to parse
        return text
    lines = text.split("\n")
    changed = False
    for token in _tokens(text if shaped_as is None else shaped_as):
        if token.type != "heading_open" or token.map is None:
            continue
        level = min(6, int(token.tag[1]) + by)
        start, end = token.map
        if token.markup in ("=", "-"):  # setext: text lines, then the underline
            if end - start < 2 or not _SETEXT_LINE.match(lines[end - 1]):
                continue
            lead = re.match(r"^[ \t>]*", lines[start])
            prefix = lead.group(0) if lead else ""
            body = " ".join(line[len(prefix):].strip() for line in lines[start : end - 1])
            lines[start] = f"{prefix}{'#' * level} {body}"
            for index in range(start + 1, end):
                lines[index] = "\0"  # dropped below
            changed = True
        else:
            match = _ATX.match(lines[start])
            if match:
                lines[start] = match.group("lead") + "#" * level + lines[start][match.end():]
                changed = True
    if not changed:
        return text
    return "\n".join(line for line in lines if line != "\0")


def _block_starts(text: str) -> list[int]:
    """Line numbers where the top-level blocks of `text` start."""
    return [t.map[0] for t in _tokens(text) if t.level == 0 and t.nesting >= 0 and t.map is not None]


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
