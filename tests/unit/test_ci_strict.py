"""Under CI a test skipped for a missing tool is a failure (tests/conftest.py), so CI cannot go green without
the end-to-end tests; off CI the same tests skip, and a test marked `may_skip` skips in both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def outcomes(ci: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA",
                           "tests/unit/ci_probe.py"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    return done.stdout


@pytest.mark.parametrize("ci", [True, False])
def test_a_skip_fails_under_ci_unless_marked_may_skip(ci: bool) -> None:
    out = outcomes(ci)
    if ci:
        assert "FAILED tests/unit/ci_probe.py::test_a_tool_that_is_missing" in out, out
        assert "CI must run every test" in out
        assert "FAILED tests/unit/ci_probe.py::test_a_plain_skip" in out, out
        assert "2 failed, 1 skipped" in out, out
    else:
        assert "3 skipped" in out, out
