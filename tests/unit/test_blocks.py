"""A streamed answer is cut into the same blocks as the finished one, whatever the chunking (hypothesis).

This is what makes the answer on screen while it streams and the same answer reopened from history render
alike: both are the same blocks, rendered the same way (tests/tui/test_live_equals_final.py checks the
lines on screen)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reasonchat.text.markdown import Settler, code_blocks, reference_definitions, split_blocks
from reasonchat.tui.widgets.answer import shown_live

WORD = st.sampled_from(["alpha", "beta", "gamma", "索引", "数据", "`code`", "**bold**", "[link][r1]", "[r2]", "x<y"])


@st.composite
def words(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(WORD, min_size=1, max_size=8)))


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "setext", "para", "list", "loose", "nested", "ordered", "fence",
                                 "nested_fence", "tilde", "indented", "table", "quote", "html", "math",
                                 "display", "dollars", "align"]))
    w = draw(words())
    if kind == "heading":
        return f"{'#' * draw(st.integers(1, 4))} {w}"
    if kind == "setext":
        return f"{w}\n{draw(st.sampled_from(['===', '---']))}"
    if kind == "para":
        return "\n".join(draw(st.lists(words(), min_size=1, max_size=3)))
    if kind == "list":
        return "\n".join(f"- {draw(words())}" for _ in range(draw(st.integers(1, 4))))
    if kind == "loose":
        return "\n\n".join(f"- {draw(words())}" for _ in range(draw(st.integers(2, 4))))
    if kind == "nested":
        return f"- {w}\n  - {draw(words())}\n    - {draw(words())}\n- {draw(words())}"
    if kind == "ordered":
        return "\n".join(f"{i + 1}. {draw(words())}" for i in range(draw(st.integers(1, 4))))
    if kind == "fence":
        return f"```python\nx = 1\n\n{w}\n```"
    if kind == "nested_fence":
        return f"````markdown\n```python\nx = 1\n```\n\n{w}\n````"
    if kind == "tilde":
        return f"~~~\n```\n{w}\n~~~"
    if kind == "indented":
        return f"    code {w}\n\n    more code"
    if kind == "table":
        rows = "\n".join(f"| {draw(words())} | {draw(words())} |" for _ in range(draw(st.integers(1, 4))))
        return f"| a | b |\n|---|:-:|\n{rows}"
    if kind == "quote":
        return f"> {w}\n> {draw(words())}"
    if kind == "math":  # as DeepSeek and Qwen write it in a paragraph
        return f"{w} \\( x^2 - 5x + 6 = 0 \\) and $\\frac{{a}}{{b}}$ {draw(words())}"
    if kind == "display":
        return f"\\[\n\\frac{{5 \\pm 1}}{{2}} = {draw(st.integers(0, 9))}\n\\]"
    if kind == "dollars":
        return f"$$\n\\sum_{{k=1}}^{{n}} k = {draw(st.integers(0, 9))}\n$$"
    if kind == "align":
        return "\\begin{align*}\nx + y &= 10 \\\\\nx - y &= 4\n\\end{align*}"
    return f"<div>\n{w}\n</div>"


@st.composite
def answers(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), min_size=1, max_size=8))
    separators = [draw(st.sampled_from(["\n\n", "\n\n", "\n\n\n", "\n"])) for _ in blocks]
    text = "".join(b + s for b, s in zip(blocks, separators, strict=True))
    if draw(st.booleans()):
        text += "\n[r1]: https://example.com/one\n[r2]: https://example.com/two \"Two\"\n"
    return text


def streamed(text: str, cuts: list[int]) -> list[str]:
    settler = Settler()
    blocks: list[str] = []
    for cut in sorted({c % (len(text) + 1) for c in cuts}):
        blocks += settler.feed(text[:cut])
    return blocks + settler.finish(text)


@settings(max_examples=300, deadline=None)
@given(answers(), st.lists(st.integers(0, 5000), max_size=40))
def test_streaming_settles_into_the_blocks_of_the_finished_answer(text: str, cuts: list[int]) -> None:
    assert streamed(text, cuts) == split_blocks(text)
    assert "".join(split_blocks(text)) == text


@settings(max_examples=100, deadline=None)
@given(answers())
def test_character_by_character_too(text: str) -> None:
    assert streamed(text, list(range(len(text) + 1))) == split_blocks(text)


def test_a_four_backtick_fence_holding_a_three_backtick_one_is_one_block() -> None:
    text = "Intro\n\n````md\n```py\nx\n```\n\nstill inside\n````\n\nAfter.\n"
    assert split_blocks(text) == ["Intro\n\n", "````md\n```py\nx\n```\n\nstill inside\n````\n\n", "After.\n"]
    settler = Settler()
    assert settler.feed("Intro\n\n````md\n```py\nx\n```\n\nstill") == ["Intro\n\n"]  # not cut at the inner ```
    assert code_blocks(text) == ["```py\nx\n```\n\nstill inside\n"]


def test_an_unfinished_last_line_never_decides_a_cut() -> None:
    settler = Settler()
    assert settler.feed("para\n#") == []  # "#" could become "#x", a paragraph's continuation
    assert settler.feed("para\n#x") == []
    assert settler.finish("para\n#x and more\n") == ["para\n#x and more\n"]


def test_reference_definitions_are_given_to_every_block() -> None:
    text = "See [the docs][d] and [Guide].\n\n[d]: https://example.com/docs\n[guide]: <https://example.com/a b>\n"
    assert reference_definitions(text) == "[D]: https://example.com/docs\n[GUIDE]: https://example.com/a%20b"


def test_an_unfinished_table_row_is_held_back_from_the_live_block() -> None:
    assert shown_live("| a | b |\n|--") == "| a | b |\n"
    assert shown_live("| a | b |\n|---|---|\n| 1 ") == "| a | b |\n|---|---|\n"
    assert shown_live("text still coming") == "text still coming"
