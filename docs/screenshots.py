"""Make the README's pictures from the real app: reasonchat on its offline demo server, driven headless by
Textual's pilot, each screen saved with Textual's own SVG screenshot.

    python docs/screenshots.py              # writes docs/screenshots/*.svg
    python docs/screenshots.py OUT_DIR      # elsewhere (the test suite checks that this still runs)

Nothing here is staged: the conversations are real answers of the demo model, streamed over loopback HTTP,
saved in a fresh store under a temporary REASONCHAT_HOME (your own store and config are not touched). That
home's config names three presets as a user has them — deepseek, bailian, volcano, with their own models and
prices — answered by the offline demo, so the compare shows what a compare of providers looks like.

Rich's SVG export gives each run of text a `textLength` of its characters, not its cells: Chinese (two cells a
character) was squashed to half its width in a browser. `fix_wide_text` sets each to its cells.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.cells import cell_len

SIZE = (120, 34)
FIRST = (100, 18)  # the first picture: a question and its reasoning, framed close
MATH = (100, 44)  # a math answer and its reasoning, whole
CONFIG = """
default_preset = "deepseek"
[presets.deepseek]
base_url = "builtin:demo"
api_key = "demo"
extra_body = { demo_rate = 90 }
[presets.bailian]
base_url = "builtin:demo"
api_key = "demo"
extra_body = { demo_rate = 140 }
[presets.volcano]
base_url = "builtin:demo"
api_key = "demo"
extra_body = { demo_rate = 200 }
[mcp.demo]
command = "PYTHON"
args = ["-m", "reasonchat.demo.mcp_server"]
auto_approve = ["get_time"]
"""
_TEXT = re.compile(r'(<text\b[^>]*?textLength=")([0-9.]+)("[^>]*>)(.*?)(</text>)')


def fix_wide_text(svg: str) -> str:
    """Each text run's `textLength` as its cells take (Rich's export counts characters): wide characters,
    Chinese among them, at their full width."""
    def fixed(match: re.Match[str]) -> str:
        text = html.unescape(match.group(4))
        length = float(match.group(2))
        if not text or cell_len(text) == len(text):
            return match.group(0)
        wide = length / len(text) * cell_len(text)
        return f"{match.group(1)}{wide:g}{match.group(3)}{match.group(4)}{match.group(5)}"

    return _TEXT.sub(fixed, svg)
SHOTS = ("reasoning-streaming", "answer-settled", "history-search", "picker", "compare", "math", "tools")
TOOLS = (110, 30)  # an answer that called two tools, one of them approved with y


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
    (out / f"{name}.svg").write_text(fix_wide_text(pilot.app.export_screenshot()), encoding="utf-8")


async def _make(out: Path) -> None:
    from reasonchat import config
    from reasonchat.providers import ProviderOptions
    from reasonchat.tui.app import make_app
    from reasonchat.tui.screens.history import HistoryScreen
    from reasonchat.tui.screens.presets import PresetPicker
    from reasonchat.tui.widgets.turn import AssistantTurn

    app = make_app(config.load(), ProviderOptions(preset="deepseek", model="deepseek-v4-flash"), remember=False)
    async with app.run_test(size=FIRST) as pilot:
        chat = app.chat
        chat.query_one("#prompt").cursor_blink = False
        await _send(pilot, "数据库索引为什么能让查询变快？")
        await _until(pilot, lambda: bool(chat.generating) and bool(chat.query(AssistantTurn)))
        turn = chat.query(AssistantTurn).last()
        await _until(pilot, lambda: turn.reply.reasoning_chunks > 60)
        await _shoot(pilot, out, "reasoning-streaming")
        await pilot.resize_terminal(*SIZE)
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

        app.action_compare([ProviderOptions(preset=name) for name in ("deepseek", "bailian", "volcano")])
        await _until(pilot, lambda: isinstance(app.screen, CompareScreen) and len(app.screen.query(CompareColumn)) == 3
                     and all(c.provider is not None for c in app.screen.query(CompareColumn)))
        app.screen.query_one("#prompt").cursor_blink = False
        await _send(pilot, "When is a B-tree index slower than a full scan?")
        await _until(pilot, lambda: not app.screen.streaming and all(c.worker for c in app.screen.query(CompareColumn)),
                     timeout=60)
        await _shoot(pilot, out, "compare")
        await pilot.press("escape")
        await _until(pilot, lambda: app.screen is chat)
        await chat.action_new()  # a conversation of its own
        await pilot.resize_terminal(*MATH)
        await pilot.press("ctrl+t")  # the reasoning shown: it reads as math too
        await _send(pilot, "Solve x^2 - 5x + 6 = 0")
        await _until(pilot, lambda: not chat.generating and bool(chat.turns()) and "Final Answer"
                     in chat.turns()[-1].reply.content, timeout=60)
        await _shoot(pilot, out, "math")
        from reasonchat.tui.screens.approval import ApprovalScreen

        await chat.action_new()
        await pilot.resize_terminal(*TOOLS)
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t")  # back to auto: finished rounds fold their reasoning
        await _send(pilot, "What time is it in Asia/Shanghai, and what is 12*(3+4)?")

        def answered() -> bool:
            return not chat.generating and bool(chat.turns()) and "84" in chat.turns()[-1].reply.content

        while not answered():  # each call asks; its keys answer once the question is armed
            await _until(pilot, lambda: answered() or (isinstance(app.screen, ApprovalScreen) and app.screen.armed),
                         timeout=60)
            if not answered():
                await pilot.press("y")
                await pilot.pause(0.1)
        await _shoot(pilot, out, "tools")


def make(out: Path) -> list[Path]:
    """Write the screenshots into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reasonchat-shots-") as home:
        (Path(home) / "config.toml").write_text(CONFIG.replace("PYTHON", sys.executable), encoding="utf-8")
        (Path(home) / "config.toml").chmod(0o600)  # it holds (demo) keys
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
