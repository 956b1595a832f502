"""Math in model text, drawn for a terminal: LaTeX as Unicode, in the line or on lines of its own.

Reasoning models answer math in LaTeX — DeepSeek with `\\( … \\)` and `\\[ … \\]`, Qwen and GLM with `$ … $` and
`$$ … $$`, all with `\\boxed{…}` — and CommonMark reads `\\(` as an escaped parenthesis: `\\( x^2 \\)` showed as
`( x^2 )`. Math is found by the Markdown parser the answer is drawn with (`math_plugin`), so code spans and
blocks are never touched: mdit-py-plugins' `dollarmath` (with the rule for prices: an opening `$` followed by a
non-space, a closing one preceded by a non-space and not followed by a digit — "$5 and $10" stays text) and
`amsmath` (`align*`, `pmatrix`, … as blocks), and a rule of our own for `\\( … \\)` and `\\[ … \\]` inside a
paragraph (texmath's takes `\\[` only at the start of a block and drops the text after a `\\]`).

Each span is converted by pylatexenc 3 (its "fancy" math mode: `\\frac{5 \\pm 1}{2}` → `(5 ± 1)/2`,
`x_{i+1}` → `xᵢ₊₁`, plain letters rather than the mathematical italics many terminal fonts lack). What it
cannot convert whole — a macro or an environment it does not know, a parse error — is shown as the model wrote
it, as code: never dropped, never half-converted into something that reads differently. `\\boxed{…}` (the
final answer) is drawn bold. The renderers (Rich for settled blocks, Textual for the live one) drop tokens they
do not know — "The roots are $x=2$" drew as "The roots are " — so a last core rule turns every math token into
tokens they draw: text, bold, code, and a paragraph of its own lines for display math.

The text itself is never changed: the store, copying and the JSON export keep what the model wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from reasonchat.text.latex import segments

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

INLINE = ("math_inline",)
DISPLAY_INLINE = ("math_inline_double", "math_display_bracket")  # display math written inside a paragraph
BLOCKS = ("math_block", "math_block_label", "amsmath")
_mode = ["unicode"]  # "unicode" or "source" ([ui] math; the palette switches it): one for the whole app


def set_mode(mode: str) -> None:
    """Draw math as Unicode ("unicode") or as the model wrote it ("source") from the next rendering on."""
    _mode[0] = "source" if mode == "source" else "unicode"


def mode() -> str:
    return _mode[0]


BOX = ("⟦ ", " ⟧")  # around \boxed{…}: it stands out even inside bold text ("**Final Answer:** …")
INDENT = "\u00a0\u00a0"  # display math is set in by two cells (no-break: renderers keep them)

def math_plugin(md: MarkdownIt) -> None:
    """Find math in Markdown, and turn it into tokens every renderer draws (see the module's docstring)."""
    from mdit_py_plugins.amsmath import amsmath_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True, allow_labels=False)
    amsmath_plugin(md)
    # dollarmath's inline rule reads the character before a `$` at the start of a paragraph as the paragraph's
    # last one (`src[pos - 1]` at 0): "$x^2$ and $10" was not math. Ours keeps its rules and not that.
    md.inline.ruler.at("math_inline", _never_across_code(_dollars))
    md.inline.ruler.before("escape", "math_brackets", _never_across_code(_brackets))
    md.core.ruler.push("math_for_terminals", _drawn)


def _never_across_code(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """`rule`, refused where what it took holds a backtick: LaTeX has none, and a price before a code span
    ("$10, `echo "$HOME"`") must not make math of everything up to a `$` inside the code."""

    def guarded(state: StateInline, silent: bool) -> bool:
        start, count, pending = state.pos, len(state.tokens), state.pending
        if not rule(state, silent):
            return False
        if "`" not in state.src[start : state.pos]:
            return True
        del state.tokens[count:]  # (a push first flushed the pending text into a token: it is pending again)
        state.pos, state.pending = start, pending
        return False

    return guarded


def _dollars(state: StateInline, silent: bool) -> bool:
    """`$…$` and `$$…$$` in a line, by the rule that leaves prices alone: an opening `$` not right after a letter
    or digit and followed by a non-space, a closing one preceded by a non-space and not followed by a digit —
    and no run of words in it (`$10 and 5$` is prose)."""
    src, pos = state.src, state.pos
    if src[pos] != "$" or _escaped(src, pos) or (pos and (src[pos - 1].isalnum() or src[pos - 1] == "$")):
        return False
    double = src.startswith("$$", pos)
    start = pos + (2 if double else 1)
    end = _closing_dollar(src, start, double)
    if end < 0:
        return False
    content = src[start:end]
    if not content.strip() or (not double and (content[0].isspace() or content[-1].isspace() or _prose(content))):
        return False
    after = end + (2 if double else 1)
    if not double and after < len(src) and src[after].isdigit():
        return False
    if not silent:
        token = state.push("math_inline_double" if double else "math_inline", "math", 0)
        token.content = content
        token.markup = "$$" if double else "$"
    state.pos = after
    return True


def _escaped(src: str, pos: int) -> bool:
    backslashes = 0
    while pos - backslashes - 1 >= 0 and src[pos - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _closing_dollar(src: str, start: int, double: bool) -> int:
    """Where the closing `$` (or `$$`) is: the first unescaped one after `start`, or -1."""
    at = start
    while (at := src.find("$$" if double else "$", at)) >= 0:
        if not _escaped(src, at):
            return at
        at += 1
    return -1


_WORDS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,} +[A-Za-z]{2,}(?![A-Za-z]*\})")
_TEXT_ARGUMENT = re.compile(r"\\(?:text\w*|mathrm|operatorname|mbox)\s*\{[^{}]*\}")


def _prose(content: str) -> bool:
    """Words one after another outside `\\text{…}`: what a price pair encloses ("$10 and 5$"), not a formula."""
    return _WORDS.search(_TEXT_ARGUMENT.sub("", content)) is not None


def _brackets(state: StateInline, silent: bool) -> bool:
    """`\\( … \\)` (inline) and `\\[ … \\]` (display) inside a paragraph, up to the closing delimiter."""
    src, pos = state.src, state.pos
    if not src.startswith(("\\(", "\\["), pos):
        return False
    inline = src[pos + 1] == "("
    end = src.find("\\)" if inline else "\\]", pos + 2)
    if end < 0 or not src[pos + 2 : end].strip():
        return False
    if not silent:
        token = state.push("math_inline" if inline else "math_display_bracket", "math", 0)
        token.content = src[pos + 2 : end]
        token.markup = src[pos : pos + 2]
    state.pos = end + 2
    return True


def _drawn(state: StateCore) -> None:
    out: list[Token] = []
    for token in state.tokens:
        if token.type in BLOCKS:
            out.extend(_display_block(token))
            continue
        if token.type == "inline" and token.children:
            token.children = _inline_children(token.children)
        out.append(token)
    state.tokens = out


def _inline_children(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    after_display = False
    for index, child in enumerate(children):
        if after_display and child.type == "text":  # the line after display math starts at its first word
            child.content = child.content.lstrip()
        after_display = child.type in DISPLAY_INLINE
        if child.type in INLINE:
            out.extend(_spans(child.content, _source(child), display=False))
        elif child.type in DISPLAY_INLINE:
            if out and out[-1].type not in ("softbreak", "hardbreak"):
                out.append(_token("hardbreak"))
            out.extend(_spans(child.content, _source(child), display=True))
            if index + 1 < len(children):
                out.append(_token("hardbreak"))
        else:
            out.append(child)
    return out


def _display_block(token: Token) -> list[Token]:
    """A paragraph of the math's own lines (a block the renderers know), or its source as a code block."""
    latex = token.content
    source = _source(token)
    if token.type == "amsmath":  # its content is the whole environment, `\begin{…}` included
        source = latex
    children = _grid_spans(latex)
    children = children if children is not None else _spans(latex, source, display=True)
    if len(children) == 1 and children[0].type == "code_inline":  # not converted: the source, as a block
        fence = _token("fence", content=source.strip("\n") + "\n", map_=token.map)
        fence.tag, fence.block, fence.markup = "code", True, "```"
        return [fence]
    opening = _token("paragraph_open", nesting=1, map_=token.map)
    inline = _token("inline", content=source, map_=token.map)
    inline.children = children
    closing = _token("paragraph_close", nesting=-1)
    for part in (opening, closing):
        part.tag, part.block = "p", True
    inline.block = True
    return [opening, inline, closing]


def _spans(latex: str, source: str, display: bool) -> list[Token]:
    """The tokens drawing `latex`: text (bold where boxed), its lines apart when `display`; or its source."""
    if _mode[0] == "source":  # as written, delimiters and all (CommonMark alone would eat the backslashes)
        written: list[Token] = []
        for number, row in enumerate(source.strip("\n").split("\n")):
            written += [_token("hardbreak"), _token("text", content=row)] if number else [_token("text", content=row)]
        return written
    parts = segments(latex)
    if parts is None:
        return [_token("code_inline", content=source.strip(), markup="`")]
    out: list[Token] = []
    lines = _lines(parts) if display else [parts]
    for number, line in enumerate(lines):
        if number:
            out.append(_token("hardbreak"))
        if display:
            out.append(_token("text", content=INDENT))
        for text, boxed in line:
            if boxed:  # the final answer: framed, and bold
                framed = _token("text", content=f"{BOX[0]}{text}{BOX[1]}")
                out += [_token("strong_open", nesting=1, markup="**"), framed,
                        _token("strong_close", nesting=-1, markup="**")]
            else:
                out.append(_token("text", content=text))
    return out


_ENVIRONMENT = re.compile(r"\\begin\{(\w+\*?)\}(.*?)\\end\{\1\}", re.DOTALL)
_ROW_END = re.compile(r"\\\\(?:\[[^\]]*\])?")
_CELL = re.compile(r"(?<!\\)&")
# The delimiters of a matrix environment: (top, middle, bottom, one row) on the left, then on the right.
_FENCES = {
    "pmatrix": (("⎛", "⎜", "⎝", "("), ("⎞", "⎟", "⎠", ")")),
    "bmatrix": (("⎡", "⎢", "⎣", "["), ("⎤", "⎥", "⎦", "]")),
    "Bmatrix": (("⎧", "⎪", "⎩", "{"), ("⎫", "⎪", "⎭", "}")),
    "vmatrix": (("│", "│", "│", "|"), ("│", "│", "│", "|")),
    "Vmatrix": (("‖", "‖", "‖", "‖"), ("‖", "‖", "‖", "‖")),
    "cases": (("⎧", "⎨", "⎩", "{"), ("", "", "", "")),
    "matrix": (("", "", "", ""), ("", "", "", "")),
}
_ALIGNED = {"align", "aligned", "alignat", "flalign", "eqnarray", "split", "gather", "gathered", "multline",
            "equation"}


def _grid_spans(latex: str) -> list[Token] | None:
    """Display math holding an environment of rows (`align*`, `pmatrix`, `cases`, …) as its rows, aligned: the
    text before and after it on the middle row. None if it holds none, or a cell cannot be converted."""
    found = _ENVIRONMENT.search(latex) if _mode[0] == "unicode" else None
    if found is None:
        return None
    name = found.group(1).rstrip("*")
    if name not in _FENCES and name not in _ALIGNED:
        return None
    rows = [row for row in _ROW_END.split(found.group(2)) if row.strip()]
    cells: list[list[str]] = []
    for row in rows:
        converted = [_cell(cell) for cell in _CELL.split(row)]
        if any(cell is None for cell in converted):
            return None
        cells.append([cell or "" for cell in converted])
    before, after = (_cell(part) for part in (latex[: found.start()], latex[found.end() :]))
    if before is None or after is None or not cells:
        return None
    lines = _aligned(cells, name)
    middle = (len(lines) - 1) // 2
    pad = " " * _width(before)
    lines = [(before if n == middle else pad) + (" " if before else "") + line + (after if n == middle else "")
             for n, line in enumerate(lines)]
    out: list[Token] = []
    for number, line in enumerate(lines):
        if number:
            out.append(_token("hardbreak"))
        out.append(_token("text", content=INDENT + line.rstrip()))
    return out


def _cell(latex: str) -> str | None:
    if not latex.strip():
        return ""
    parts = segments(latex)
    return None if parts is None else "".join(text for text, _ in parts)


def _aligned(cells: list[list[str]], name: str) -> list[str]:
    columns = max(len(row) for row in cells)
    widths = [max(_width(row[i]) if i < len(row) else 0 for row in cells) for i in range(columns)]
    lines = []
    for row in cells:
        parts = []
        for i in range(columns):
            text, room = (row[i] if i < len(row) else ""), widths[i] - _width(row[i] if i < len(row) else "")
            if name in _ALIGNED:  # align's columns: right, left, right, left …
                parts.append(" " * room + text if i % 2 == 0 else text + " " * room)
            elif name == "cases":
                parts.append(text + " " * room)
            else:  # a matrix: centred
                parts.append(" " * (room // 2) + text + " " * (room - room // 2))
        gap = " " if name in _ALIGNED else "  "
        lines.append(gap.join(parts))
    left, right = _FENCES.get(name, (("", "", "", ""), ("", "", "", "")))
    if not left[0] and not right[0]:
        return lines
    out = []
    for n, line in enumerate(lines):
        at = 3 if len(lines) == 1 else 0 if n == 0 else 2 if n == len(lines) - 1 else 1
        out.append(f"{left[at]} {line} {right[at]}".rstrip() if left[at] or right[at] else line)
    return out


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _lines(parts: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    lines: list[list[tuple[str, bool]]] = [[]]
    for text, boxed in parts:
        for number, piece in enumerate(text.split("\n")):
            if number:
                lines.append([])
            if piece:
                lines[-1].append((piece, boxed))
    return [line for line in lines if any(text.strip() for text, _ in line)] or [[]]


def _source(token: Token) -> str:
    closing = {"\\(": "\\)", "\\[": "\\]"}.get(token.markup, token.markup)
    return f"{token.markup}{token.content}{closing}"


def _token(kind: str, nesting: Literal[-1, 0, 1] = 0, content: str = "", markup: str = "",
           map_: list[int] | None = None) -> Token:
    from markdown_it.token import Token

    tag = {"strong_open": "strong", "strong_close": "strong", "hardbreak": "br", "code_inline": "code"}.get(kind, "")
    return Token(kind, tag, nesting, content=content, markup=markup, map=map_)


# Math in plain text (the reasoning, which is not Markdown): code spans first, so what is in them is skipped;
# then `\( \)`, `\[ \]`, `$$ $$`, and `$ $` by dollarmath's rule for prices.
_IN_TEXT = re.compile(r"(`+)[^`]*?\1|\\\((?P<a>.+?)\\\)|\\\[(?P<b>.+?)\\\]|\$\$(?P<c>[^$]+?)\$\$"
                      r"|(?<![\\\w$])\$(?P<d>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\d$])", re.DOTALL)


def in_text(text: str) -> str:
    """`text` with each math span that converts whole as its Unicode (`\\boxed` framed), the rest as written."""
    if _mode[0] == "source" or ("$" not in text and "\\" not in text):
        return text

    def one(match: re.Match[str]) -> str:
        latex = next((group for group in match.group("a", "b", "c", "d") if group is not None), None)
        if match.group("d") is not None and _prose(match.group("d")):
            return match.group()
        parts = segments(latex) if latex is not None and latex.strip() else None
        if parts is None:
            return match.group()
        return "".join(f"{BOX[0]}{piece}{BOX[1]}" if boxed else piece for piece, boxed in parts).replace("\n", " ")

    return _IN_TEXT.sub(one, text)
