"""The Markdown structure of model text, from one CommonMark parser (markdown-it-py, the one Rich renders with).

Three places need to know where code is and where blocks end: settling a streamed answer block by block,
escaping HTML in an export without touching code, and copying a code block. Hand-written fence scanners
disagreed with each other and with the renderer (a ```` fence holding a ``` fence settled mid-code); one
parser, asked the same way everywhere, cannot.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_ATX = re.compile(r"^(?P<lead>[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?[ \t>]*)(?P<hashes>#{1,6})(?=[ \t]|$)")
_SETEXT_LINE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])  # what rich.markdown enables


def _tokens(text: str) -> list[Token]:
    return _parser().parse(text)


def block_ends(text: str) -> list[int]:
    """The line numbers where the top-level blocks of `text` end (exclusive), in order.

    A block that runs to the end of the text may still be growing (an unclosed fence runs to the end); every
    other one is complete."""
    ends = []
    for token in _tokens(text):
        if token.level == 0 and token.nesting >= 0 and token.map is not None:
            ends.append(token.map[1])
    return ends


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


def demote_headings(text: str, by: int = 2) -> str:
    """Every heading of `text` `by` levels deeper (at most level 6), outside code: a model's own `# Title`
    becomes `### Title`, so it sits under a document's `## Assistant` instead of beside it. Setext headings
    (a line underlined with === or ---) become ATX headings of their new level."""
    lines = text.split("\n")
    changed = False
    for token in _tokens(text):
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
