"""A text's outline — where its code blocks and headings are — found once, when the text is saved.

A Markdown export needs both: it escapes HTML only outside code, and it moves the model's own headings under
the document's `## Assistant`. Finding them takes the one Markdown parser (markdown_blocks), and loading and
running it was most of what `reasonchat export` cost: markdown-it's import ~20 ms and its parse ~15 ms for
a conversation of 300 KB, against ~25 ms for everything else (P8' in benchmarks/README.md). So the store
keeps each text's outline beside it, written in the same statement as the text's final form, and an export
reads it and parses nothing. An outline that is missing (a message saved before outlines existed, or still
streaming) or that does not fit its text is found again by parsing: the export is the same, only slower.

Stored form (`dump`/`load`): "1" when the text holds nothing an export changes (no `<` or `&`, no line
that could be a heading: most reasoning), which `load` believes only while the text has no `<` or `&` (what
is escaped is never left to a stored word alone); else "1;LINES;CODE;HEADINGS", with
LINES the text's line count, CODE the code blocks as `first-end` line ranges (end excluded, nested blocks
included), HEADINGS as `first-end-level-kind` (kind `#`, or `=`/`-` for an underlined heading). The leading
1 is the form's version: any other is found again.
"""

from __future__ import annotations

import re
from functools import cache

VERSION = "1"

_ATX = re.compile(r"^(?P<lead>[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?[ \t>]*)(?P<hashes>#{1,6})(?=[ \t]|$)")
_SETEXT_LINE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$")


@cache
def _maybe_heading() -> re.Pattern[str]:
    """Any line `demote_headings` could change: an ATX heading line or a setext underline, as the two above
    see them. Compiled when first needed: an export that reads stored outlines never is (0.3 ms)."""
    return re.compile(f"{_ATX.pattern}|{_SETEXT_LINE.pattern}", re.MULTILINE)


class Outline:
    """The code blocks and headings of a text, by line; `plain` when the text has nothing an export changes
    (then neither was looked for, and both are empty)."""

    __slots__ = ("code", "headings", "lines", "plain")

    def __init__(self, lines: int, code: list[tuple[int, int]], headings: list[tuple[int, int, int, str]],
                 *, plain: bool = False) -> None:
        self.lines, self.code, self.headings, self.plain = lines, code, headings, plain

    def code_lines(self) -> set[int]:
        """Line numbers inside code blocks (fences with their fence lines, and indented code)."""
        return {line for first, end in self.code for line in range(first, end)}

    def dump(self) -> str:
        if self.plain:
            return VERSION
        code = ",".join(f"{first}-{end}" for first, end in self.code)
        headings = ",".join(f"{first}-{end}-{level}-{kind}" for first, end, level, kind in self.headings)
        return f"{VERSION};{self.lines};{code};{headings}"

    @staticmethod
    def load(stored: str | None, text: str) -> Outline | None:
        """The outline `stored` for `text`, or None when there is none or it does not fit the text (another
        version, another line count, unreadable, "plain" for a text with `<` or `&`)."""
        if stored == VERSION:
            return PLAIN if "<" not in text and "&" not in text else None
        if not stored or not stored.startswith(VERSION + ";"):
            return None
        try:
            _, count, code, headings = stored.split(";")
            lines = int(count)
            ranges = [(int(a), int(b)) for a, b in (span.split("-") for span in code.split(",") if span)]
            marks = [(int(a), int(b), int(level), kind)
                     for a, b, level, kind in (mark.split("-", 3) for mark in headings.split(",") if mark)]
        except ValueError:
            return None
        fits = lines == text.count("\n") + 1 and all(0 <= a < b <= lines for a, b in ranges) and all(
            0 <= a < b <= lines and 1 <= level <= 6 and kind in ("#", "=", "-") for a, b, level, kind in marks)
        return Outline(lines, ranges, marks) if fits else None


PLAIN = Outline(0, [], [], plain=True)


def find(text: str) -> Outline:
    """The outline of `text` (already cleaned, as it will be exported): PLAIN, without parsing, when nothing
    in it could open HTML or be a heading; else from the parser."""
    if "<" not in text and "&" not in text and not _maybe_heading().search(text):
        return PLAIN
    from reasonchat.text.markdown import tokens

    code: list[tuple[int, int]] = []
    headings: list[tuple[int, int, int, str]] = []
    for token in tokens(text):
        if token.map is None:
            continue
        if token.type in ("fence", "code_block"):
            code.append((token.map[0], token.map[1]))
        elif token.type == "heading_open":
            kind = token.markup if token.markup in ("=", "-") else "#"
            headings.append((token.map[0], token.map[1], int(token.tag[1]), kind))
    return Outline(text.count("\n") + 1, code, headings)


def stored(text: str) -> str:
    """What the store keeps as the outline of `text` (a message's content or reasoning, as written)."""
    from reasonchat.text.sanitize import clean

    return find(clean(text)).dump()


def demote_headings(text: str, by: int = 2, *, outline: Outline | None = None) -> str:
    """Every heading of `text` `by` levels deeper (at most level 6), outside code: a model's own `# Title`
    becomes `### Title`, so it sits under a document's `## Assistant` instead of beside it. Setext headings
    (a line underlined with === or ---) become ATX headings of their new level. `outline`: one that fits
    `text`'s lines (an export escapes HTML first, line by line, and need not find it twice)."""
    outline = outline or find(text)
    if not outline.headings:
        return text
    lines = text.split("\n")
    changed = False
    for start, end, level, kind in outline.headings:
        level = min(6, level + by)
        if kind != "#":  # setext: text lines, then the underline
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
