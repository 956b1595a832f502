"""Where a streaming answer's complete Markdown blocks end (they then render as static text)."""

from __future__ import annotations

import pytest

from reasonchat.text.markdown import Settler


def settled(text: str) -> str:
    return "".join(Settler().feed(text))


@pytest.mark.parametrize(("text", "done"), [
    ("Still writing the first para", ""),
    ("Para one.\n\n", ""),  # the next block has not started: nothing to gain yet
    ("Para one.\n\nPara t", ""),  # the next block's first line is not whole: `#` or `===` could still change it
    ("Para one.\n\nPara two\n", "Para one.\n\n"),
    ("# Title\n\nPara.\n\nNext\n", "# Title\n\nPara.\n\n"),
    ("```py\nx = 1\n\ny = 2\n", ""),  # a blank line inside an open fence is no boundary
    ("```py\nx = 1\n\ny = 2\n```\n\nAfter\n", "```py\nx = 1\n\ny = 2\n```\n\n"),
    ("````md\n```py\nx\n```\n\ny\n", ""),  # a three-backtick fence inside four does not close it
    ("~~~\na\n\nb\n~~~\n\nz\n", "~~~\na\n\nb\n~~~\n\n"),
    ("- item\n\n  continued item\n\n- next\n", ""),  # one loose list, still open
    ("| a | b |\n|---|---|\n| 1 | 2 |\n\nText\n", "| a | b |\n|---|---|\n| 1 | 2 |\n\n"),
])
def test_settled_blocks(text: str, done: str) -> None:
    assert settled(text) == done


def test_settling_never_splits_inside_a_fence_whatever_the_cut() -> None:
    doc = "Intro.\n\n````python\ndef f():\n```\n\n    return 1\n````\n\n| t | u |\n|---|---|\n\nEnd.\n"
    for cut in range(len(doc) + 1):
        done = settled(doc[:cut])
        assert done.count("````") % 2 == 0, cut
        assert done == "" or done.endswith("\n\n"), cut
