"""Make the README's pictures from the real app: reasonchat on its offline demo server, driven headless by
Textual's pilot, each screen saved with Textual's own SVG screenshot.

    python docs/screenshots.py              # writes docs/screenshots/*.svg
    python docs/screenshots.py OUT_DIR      # elsewhere (the test suite checks that this still runs)

Nothing here is staged: the conversations are real answers of the demo model, streamed over loopback HTTP,
saved in a fresh store under a temporary REASONCHAT_HOME (your own store and config are not touched).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (120, 34)
SHOTS = ("reasoning-streaming", "answer-settled", "history-search", "picker", "compare")


async def _until(pilot: Any, condition: Callable[[], bool], timeout: float = 30) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise RuntimeError("the app did not get there in time")


async def _send(pilot: Any, text: str) -> None:
    pilot.app.screen.query_one("#prompt").text = text
    await pilot.press("enter")


async def _shoot(pilot: Any, out: Path, name: str) -> None:
    await pilot.pause(0.3)  # let the last refresh land
    pilot.app.save_screenshot(filename=f"{name}.svg", path=str(out))


async def _make(out: Path) -> None:
    from reasonchat import config
    from reasonchat.providers import ProviderOptions
    from reasonchat.tui.app import make_app
    from reasonchat.tui.screens.history import HistoryScreen
    from reasonchat.tui.screens.presets import PresetPicker
    from reasonchat.tui.widgets.turn import AssistantTurn

    app = make_app(config.load(), ProviderOptions(demo=True, model="demo@90"), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        chat = app.chat
        chat.query_one("#prompt").cursor_blink = False
        await _send(pilot, "数据库索引为什么能让查询变快？")
        await _until(pilot, lambda: bool(chat.generating) and bool(chat.query(AssistantTurn)))
        turn = chat.query(AssistantTurn).last()
        await _until(pilot, lambda: turn.reply.reasoning_chunks > 60)
        await _shoot(pilot, out, "reasoning-streaming")
        await _until(pilot, lambda: not chat.generating, timeout=60)
        await _send(pilot, "And when does an index make things slower?")
        await _until(pilot, lambda: not chat.generating and len(chat.query(AssistantTurn)) == 2, timeout=60)
        await _shoot(pilot, out, "answer-settled")
        await pilot.press("ctrl+o")
        await _until(pilot, lambda: isinstance(app.screen, HistoryScreen))
        app.screen.query_one("#search").value = "索引"
        await _until(pilot, lambda: "索引" in str(app.screen.query_one("#conversations").get_option_at_index(0).prompt)
                     if app.screen.query_one("#conversations").option_count else False)
        await _shoot(pilot, out, "history-search")
        await pilot.press("escape")
        await pilot.press("ctrl+k")
        await _until(pilot, lambda: isinstance(app.screen, PresetPicker))
        await pilot.pause(0.5)
        await _shoot(pilot, out, "picker")
        await pilot.press("escape")
        from reasonchat.providers import ProviderOptions
        from reasonchat.tui.screens.compare import CompareScreen
        from reasonchat.tui.widgets.compare_column import CompareColumn

        app.action_compare([ProviderOptions(preset="demo", model=m)
                            for m in ("demo@120", "shape-volcano@200", "shape-bailian@160")])
        await _until(pilot, lambda: isinstance(app.screen, CompareScreen) and len(app.screen.query(CompareColumn)) == 3
                     and all(c.provider is not None for c in app.screen.query(CompareColumn)))
        app.screen.query_one("#prompt").cursor_blink = False
        await _send(pilot, "When is a B-tree index slower than a full scan?")
        await _until(pilot, lambda: not app.screen.streaming and all(c.worker for c in app.screen.query(CompareColumn)),
                     timeout=60)
        await _shoot(pilot, out, "compare")


def make(out: Path) -> list[Path]:
    """Write the screenshots into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reasonchat-shots-") as home:
        previous = os.environ.get("REASONCHAT_HOME")
        os.environ["REASONCHAT_HOME"] = home
        try:
            asyncio.run(_make(out))
        finally:
            if previous is None:
                os.environ.pop("REASONCHAT_HOME", None)
            else:
                os.environ["REASONCHAT_HOME"] = previous
    return [out / f"{name}.svg" for name in SHOTS]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "screenshots"
    for path in make(target):
        print(path)
