"""Math reads as math (reasonchat/text/math.py): a corpus of answers as DeepSeek, Qwen and GLM write them, with
the screen text a reader sees; properties over generated text — prose and code never change, each math span
is converted whole or shown as written; the reasoning's plain text; the source mode; the Markdown export."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reasonchat.export import model_markdown
from reasonchat.text import math
from reasonchat.text.latex import segments, to_unicode
from reasonchat.text.markdown import render_parser
from reasonchat.text.rich_markdown import AnswerMarkdown

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "math"


def screen(markdown: str, width: int = 100) -> str:
    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), color_system=None, record=True)
    console.print(AnswerMarkdown(markdown))
    return "\n".join(line.rstrip() for line in console.export_text().split("\n")).strip("\n") + "\n"


@pytest.fixture
def source_mode() -> Iterator[None]:
    math.set_mode("source")
    yield
    math.set_mode("unicode")


@pytest.mark.parametrize("name", sorted(p.stem for p in CORPUS.glob("*.md")))
def test_each_answer_of_the_corpus_reads_as_its_screen(name: str) -> None:
    assert screen((CORPUS / f"{name}.md").read_text(encoding="utf-8")) == (CORPUS / f"{name}.screen").read_text(
        encoding="utf-8")


@pytest.mark.parametrize(("latex", "shown"), [
    (r"x^2 - 5x + 6 = 0", "x² - 5x + 6 = 0"),
    (r"\frac{5 \pm 1}{2}", "(5 ± 1)/2"),  # grouping kept
    (r"x_{i+1}", "xᵢ₊₁"),
    (r"\sqrt{x+1}", "√(x + 1)"),
    (r"a \equiv b \pmod{m}", "a ≡ b (mod m)"),
    (r"\binom{n}{k}", "(n choose k)"),
    (r"\left( \frac{a}{b} \right)", "(a/b)"),
    (r"90^\circ", "90°"),
    (r"10\%", "10%"),
    (r"14{,}916", "14,916"),
    (r"\overline{AB}", "A\u0305B\u0305"),
    (r"\mathbb{R}", "ℝ"),
    (r"\text{if } x \le y", "if x ≤ y"),
    (r"p \implies q", "p ⟹ q"),
])
def test_a_formula_as_unicode(latex: str, shown: str) -> None:
    assert to_unicode(latex) == shown


@pytest.mark.parametrize("latex", [r"\weird{x}", r"\frac{1}{", r"\begin{tikzcd} a \end{tikzcd}",
                                   r"\mathfrak{g} + \foo"])
def test_what_cannot_be_converted_whole_is_not_converted_at_all(latex: str) -> None:
    assert to_unicode(latex) is None
    assert segments(latex) is None


def test_boxed_is_framed_and_bold_inline_and_in_display() -> None:
    tokens = render_parser().parse(r"So \(\boxed{x = 2}\) and" + "\n\n" + r"$$\boxed{y = 3}$$" + "\n")
    inline = [t for t in tokens if t.type == "inline"]
    first = [(c.type, c.content) for c in inline[0].children or []]
    assert ("strong_open", "") in first and ("text", "⟦ x = 2 ⟧") in first
    second = [(c.type, c.content) for c in inline[1].children or []]
    assert ("text", "⟦ y = 3 ⟧") in second and ("strong_open", "") in second


# -- properties over generated answers ------------------------------------------------------------------

PROSE = st.sampled_from(["The roots are", "it costs $5 and $10", "US$5 or $5/$10", "so", "see 2 < 3 and 4 > 1",
                         "数据 and 推理", "a (parenthesis) and [bracket]", "rates of 5$ each"])
CODE = st.sampled_from(['`echo "$HOME costs $5"`', r"`\(\d+\)`", "`$x$`", r"`\[a\]`", "`a_b^c`"])
FORMULAS = st.sampled_from([r"x^2", r"\frac{1}{2}", r"\alpha + \beta", r"\weird{z}", r"\sqrt{2}", r"a_n",
                            r"\boxed{42}", r"x \le y"])
DELIMITERS = st.sampled_from([("\\(", "\\)"), ("$", "$")])


@st.composite
def answers(draw: st.DrawFn) -> list[tuple[str, str]]:
    """A paragraph as (kind, piece) pairs: prose, code spans and inline math."""
    pieces: list[tuple[str, str]] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["prose", "code", "math"]))
        if kind == "math":
            opening, closing = draw(DELIMITERS)
            pieces.append(("math", f"{opening}{draw(FORMULAS)}{closing}"))
        else:
            pieces.append((kind, draw(PROSE if kind == "prose" else CODE)))
    return pieces


def drawn(paragraph: str) -> list[tuple[str, str]]:
    (inline,) = [t for t in render_parser().parse(paragraph) if t.type == "inline"]
    return [(c.type, c.content) for c in inline.children or [] if c.type in ("text", "code_inline")]


@settings(max_examples=300)
@given(answers())
def test_prose_and_code_never_change_and_each_formula_is_converted_whole_or_shown_as_written(
        pieces: list[tuple[str, str]]) -> None:
    paragraph = " ".join(piece for _, piece in pieces)
    shown = drawn(paragraph)
    text = "".join(content for _, content in shown)
    codes = [content for kind, content in shown if kind == "code_inline"]
    for kind, piece in pieces:
        if kind == "prose":
            assert piece in text  # byte for byte, prices and all
        elif kind == "code":
            assert piece.strip("`") in codes  # code is never math
        else:
            latex = piece[2:-2] if piece.startswith("\\(") else piece[1:-1]
            parts = segments(latex)
            if parts is None:
                assert piece in codes  # shown as written, as code: never dropped, never half-converted
            else:
                assert "".join(f"⟦ {t} ⟧" if boxed else t for t, boxed in parts) in text


@settings(max_examples=200)
@given(answers())
def test_the_source_mode_shows_every_formula_as_written(pieces: list[tuple[str, str]]) -> None:
    math.set_mode("source")
    try:
        text = "".join(content for _, content in drawn(" ".join(piece for _, piece in pieces)))
    finally:
        math.set_mode("unicode")
    for kind, piece in pieces:
        if kind != "code":
            assert piece in text  # `\(` kept: CommonMark alone would have made it `(`


def test_code_blocks_are_never_math() -> None:
    text = "```latex\n\\( x^2 \\) and $y$\n\\[ z \\]\n```\n"
    (fence,) = [t for t in render_parser().parse(text) if t.type == "fence"]
    assert fence.content == "\\( x^2 \\) and $y$\n\\[ z \\]\n"


# -- the reasoning, the export ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "shown"), [
    (r"We need \( x^2 - 5x + 6 = 0 \), so \( \Delta = 1 \).", "We need x² - 5x + 6 = 0, so Δ = 1."),
    ("It costs $5 and $10, US$5, $5/$10.", "It costs $5 and $10, US$5, $5/$10."),
    (r"Code `\(\d+\)` and `$x$` stay; $x^2$ does not.", r"Code `\(\d+\)` and `$x$` stay; x² does not."),
    (r"So \[ \boxed{4} \] and \( \weird{y} \).", r"So ⟦ 4 ⟧ and \( \weird{y} \)."),
])
def test_the_reasoning_shows_its_math_as_a_line_of_an_answer_does(text: str, shown: str) -> None:
    assert math.in_text(text) == shown


def test_the_reasoning_in_source_mode_is_as_written(source_mode: None) -> None:
    assert math.in_text(r"We need \( x^2 \).") == r"We need \( x^2 \)."


def test_the_markdown_export_writes_math_with_dollars_and_leaves_code_alone() -> None:
    text = (CORPUS / "deepseek.md").read_text(encoding="utf-8") + "\n`\\(\\d+\\)`\n\n```\n\\( kept \\)\n```\n"
    exported = model_markdown(text)
    assert "To solve $x^2 - 5x + 6 = 0$, factor" in exported
    assert "$$\n(x - 2)(x - 3) = 0\n$$" in exported
    assert "$\\boxed{x = 2 \\text{ or } x = 3}$" in exported
    assert "`\\(\\d+\\)`" in exported and "```\n\\( kept \\)\n```" in exported
    assert "\\(" not in exported.replace("`\\(\\d+\\)`", "").replace("\\( kept \\)", "")
