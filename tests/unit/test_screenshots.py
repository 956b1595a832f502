"""The README's pictures are made by a script from the real app: it must keep running (not the same bytes)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "screenshots.py"


def test_the_screenshot_script_still_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths = module.make(tmp_path)
    assert [p.name for p in paths] == [f"{name}.svg" for name in module.SHOTS]
    for path in paths:
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "reasonchat" in svg
    assert "Thinking…" in (tmp_path / "reasoning-streaming.svg").read_text(encoding="utf-8")
    assert "Thought&#160;for" in (tmp_path / "answer-settled.svg").read_text(encoding="utf-8")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in module.SHOTS:  # and the README shows every one of them
        assert f"docs/screenshots/{name}.svg" in readme
