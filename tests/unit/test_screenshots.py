"""The README's pictures are made by a script from the real app: it must keep running (not the same bytes)."""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

RUN = re.compile(r'<text\b[^>]*?textLength="([0-9.]+)"[^>]*>(.*?)</text>')


def text_runs(svg: str) -> list[tuple[str, float]]:
    return [(html.unescape(text), float(length)) for length, text in RUN.findall(svg)]

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
    for path in paths:  # wide characters (Chinese) take their cells, not half of them
        runs = text_runs(path.read_text(encoding="utf-8"))
        cell = next(length / len(text) for text, length in runs if cell_len(text) == len(text) > 3)
        wide = [(text, length) for text, length in runs if cell_len(text) != len(text)]
        for text, length in wide:
            assert length == pytest.approx(cell * cell_len(text), rel=1e-3), (path.name, text)
        if path.name in ("reasoning-streaming.svg", "history-search.svg"):
            assert any("索引" in text for text, _ in wide), path.name
    compare = (tmp_path / "compare.svg").read_text(encoding="utf-8")
    for name in ("deepseek", "bailian", "volcano"):  # presets a user has, not the demo's scenarios
        assert f"·&#160;{name}&#160;·" in compare
    shown = "".join(text for text, _ in text_runs(compare))
    assert "demo@" not in shown and "shape-" not in shown
    assert compare.count("¥") >= 3  # each column's cost, whole
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in module.SHOTS:  # and the README shows every one of them
        assert f"docs/screenshots/{name}.svg" in readme
