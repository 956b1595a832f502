"""Where a streaming answer's complete Markdown blocks end (they then render as static text)."""

from __future__ import annotations

import pytest

from reasonchat.tui.widgets.answer import settle_point


@pytest.mark.parametrize(("text", "settled"), [
    ("Still writing the first para", ""),
    ("Para one.\n\n", ""),  # the next block has not started: nothing to gain yet
    ("Para one.\n\nPara t", "Para one.\n\n"),
    ("# Title\n\nPara.\n\nNext", "# Title\n\nPara.\n\n"),
    ("```py\nx = 1\n\ny = 2\n", ""),  # a blank line inside an open fence is no boundary
    ("```py\nx = 1\n\ny = 2\n```\n\nAfter", "```py\nx = 1\n\ny = 2\n```\n\n"),
    ("~~~\na\n\nb\n~~~\n\nz", "~~~\na\n\nb\n~~~\n\n"),
    ("- item\n\n  continued item\n\n- next", "- item\n\n  continued item\n\n"),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n\nText", "| a | b |\n|---|---|\n| 1 | 2 |\n\n"),
])
def test_settle_point(text: str, settled: str) -> None:
    assert text[: settle_point(text)] == settled


def test_settling_never_splits_inside_a_fence_whatever_the_cut() -> None:
    doc = "Intro.\n\n```python\ndef f():\n\n    return 1\n```\n\n| t | u |\n|---|---|\n\nEnd.\n"
    for cut in range(len(doc) + 1):
        point = settle_point(doc[:cut])
        assert doc[:point].count("```") % 2 == 0, cut
        assert point == 0 or doc[:point].endswith("\n\n"), cut
