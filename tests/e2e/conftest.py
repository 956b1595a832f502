"""Every test here drives tmux: skipped without it off CI, failed without it under CI (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import tool


@pytest.fixture(autouse=True)
def tmux() -> str:
    return tool("tmux")
