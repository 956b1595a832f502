"""LaTeX math (without its delimiters) as Unicode text, for a terminal: `to_unicode`, and `segments` for a span
holding `\\boxed{…}` (the final answer, which the caller frames).

pylatexenc 3 converts, in its "fancy" math mode (`\\frac{5 \\pm 1}{2}` → `(5 ± 1)/2`, `x_{i+1}` → `xᵢ₊₁`), with
plain letters (`math_fontstyle=None`: the mathematical italics many terminal fonts lack). A span is converted
only if every macro and environment in it is one the converter knows; else None, and the caller shows the
source — pylatexenc drops unknown macros silently, and a formula half-converted reads as another formula. A few
readings are fixed before it (`_REWRITES`) and a few macros it lacks added (`_EXTRA_MACROS`). Finding math in
Markdown, and drawing it, is reasonchat/text/math.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from reasonchat.text.sanitize import clean


def _grouped_number(match: re.Match[str]) -> str:
    return "\\text{" + match.group().replace("{,}", ",") + "}"  # as text: no space after its commas


def _overlined(match: re.Match[str]) -> str:
    return "\\text{" + "".join(c + "\u0305" for c in match.group(1)) + "}"  # A̅B̅: a combining overline


def _plain_delimiter(match: re.Match[str]) -> str:
    delimiter = match.group(1)
    return {".": "", "\\{": "\\{", "\\}": "\\}", "\\|": "‖"}.get(delimiter, delimiter)


# Rewritten before conversion, where pylatexenc's reading differs from what a reader expects.
_REWRITES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"\^\s*\{?\\circ\}?"), "°"),  # 90^\circ → 90°
    (re.compile(r"\d{1,3}(?:\{,\}\d{3})+"), _grouped_number),  # 14{,}916 → 14,916
    (re.compile(r"\\overline\s*\{([A-Za-z0-9]+)\}"), _overlined),
    (re.compile(r"\\binom\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"\\left(\1 \\text{ choose } \2\\right)"),
    (re.compile(r"\\[dt]frac"), r"\\frac"),
    # Sized delimiters are plain ones in a line of text (the converter set them apart: "( a/b )").
    (re.compile(r"\\(?:left|right|[bB]igg?[lr]?)\s*(\\[{}|]|[()\[\]|.]|\\[lr]angle|\\[lr]vert)"), _plain_delimiter),
)
_TIGHT = re.compile(r"(?<=[(\[{]) (?=\S)|(?<=\S) (?=[)\]}])")
_EXTRA_MACROS = {"implies": "⟹", "impliedby": "⟸", "iff": "⟺", "land": "∧", "lor": "∨", "lnot": "¬",
                 "dots": "…", "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "qquad": "  ",
                 "quad": " ", "displaystyle": "", "textstyle": "", "limits": "", "nolimits": ""}
# Macros the converter draws by a rule of its own rather than a table entry (so the table does not list them).
_DRAWN_BY_RULE = {"left", "right", "middle", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
                  "biggr", "Biggl", "Biggr", "\\", ",", ";", ":", "!", " ", "{", "}", "%", "$", "&", "#", "_"}


def segments(latex: str) -> list[tuple[str, bool]] | None:
    """`latex` as Unicode, in pieces: (text, boxed). None when any part of it cannot be converted whole."""
    parts: list[tuple[str, bool]] = []
    rest = latex
    while (at := rest.find("\\boxed")) >= 0:
        opening = rest.find("{", at)
        close = _closing_brace(rest, opening) if opening >= 0 and not rest[at + 6 : opening].strip() else -1
        if close < 0:
            return None
        parts += [(rest[:at], False), (rest[opening + 1 : close], True)]
        rest = rest[close + 1 :]
    parts.append((rest, False))
    converted: list[tuple[str, bool]] = []
    last = max(i for i, (text, _) in enumerate(parts) if text.strip() or i == 0)
    for index, (text, boxed) in enumerate(parts[: last + 1]):
        if not text.strip():  # between two pieces: the space it was; before the first or after the last: none
            if text and converted and index < last:
                converted.append((" ", False))
            continue
        unicode = to_unicode(text)
        if unicode is None:
            return None
        before = " " if converted and text[0].isspace() and converted[-1][0] != " " else ""
        after = " " if index < last and text[-1].isspace() else ""
        converted.append((before + unicode + after, boxed))
    return converted or None


def _closing_brace(text: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(text)):
        if text[index] == "{" and text[index - 1 : index] != "\\":
            depth += 1
        elif text[index] == "}" and text[index - 1 : index] != "\\":
            depth -= 1
            if depth == 0:
                return index
    return -1


@lru_cache(maxsize=4096)  # the live block is parsed again at every update: each span is converted once
def to_unicode(latex: str) -> str | None:
    """`latex` (math mode, no delimiters) as Unicode text, or None if any macro or environment in it is one
    the converter does not know, or it does not parse: a formula half-converted reads as another formula."""
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    for pattern, replacement in _REWRITES:
        latex = pattern.sub(replacement, latex)
    converter, context = _converter()
    try:  # parsed once, in math mode: every macro must be one the converter knows, then converted
        nodes = LatexWalker(f"${latex}$", tolerant_parsing=False).get_latex_nodes()[0]
        if not _all_known(nodes, context):
            return None
        text: str = converter.nodelist_to_text(nodes)
    except (LatexWalkerError, ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError):
        return None
    text = _TIGHT.sub("", clean(text)).strip()  # "(1 + 1/n )" → "(1 + 1/n)": no space inside a bracket
    return text or None


def _all_known(nodes: Any, context: Any) -> bool:
    for node in nodes or []:
        if node is None:
            continue
        name = getattr(node, "macroname", None)
        if name is not None and name not in _DRAWN_BY_RULE and context.get_macro_spec(name) is None:
            return False
        environment = getattr(node, "environmentname", None)
        if environment is not None and context.get_environment_spec(environment) is None:
            return False
        if not _all_known(getattr(node, "nodelist", None), context):
            return False
        arguments = getattr(getattr(node, "nodeargd", None), "argnlist", None)
        if arguments and not _all_known(arguments, context):
            return False
    return True


@lru_cache(maxsize=1)
def _converter() -> tuple[Any, Any]:
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("reasonchat", prepend=True,
                                 macros=[MacroTextSpec(name, text) for name, text in _EXTRA_MACROS.items()])
    return LatexNodes2Text(latex_context=context, math_mode="fancy", math_fontstyle=None), context


def warm_up() -> None:
    """Load the converter (pylatexenc, ~0.1 s) off the screen's loop, before the first answer needs it."""
    to_unicode("x")
