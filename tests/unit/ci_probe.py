"""Probes for tests/unit/test_ci_strict.py, run only when named on its command line (the file name is not
test_*.py, so the suite never collects it): one skip per kind the suite can meet."""

from __future__ import annotations

import pytest

from tests.conftest import tool


def test_a_tool_that_is_missing() -> None:
    tool("reasonchat-no-such-tool")


def test_a_plain_skip() -> None:
    pytest.skip("a reason")


@pytest.mark.may_skip
def test_an_optional_extra() -> None:
    pytest.skip("an optional extra is not installed")
