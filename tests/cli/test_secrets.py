"""API keys are never written anywhere: every file a session leaves behind is searched for the key."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from reasonchat import config
from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.tui.app import make_app
from tests.tui.conftest import until

KEY = "sk-LEAKCANARY-7f3a9c2e51"


def all_bytes_under(*roots: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def test_key_never_reaches_a_file(cli: Any, server: DemoServer, home: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANARY_KEY", KEY)
    exports = tmp_path / "exports"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[ui]\nexport_dir = "{exports}"\n[presets.canary]\nbase_url = "{server.base_url}"\n'
        'api_key_env = "CANARY_KEY"\nmodel = "shape-deepseek"\n', encoding="utf-8")
    results = [
        cli("ask", "--preset", "canary", "hello"),
        cli("ask", "--preset", "canary", "-c", "--json", "again"),
        cli("ask", "--preset", "canary", "--model", "fault-401", "refused"),
        cli("ask", "--preset", "canary", "--model", "fault-drop", "dropped"),
        cli("export", "last", "-o", str(exports / "c.md")),
        cli("export", "1", "--format", "json", "-o", str(exports / "c.json")),
        cli("history", "--json"),
        cli("presets", "--json"),
    ]

    async def tui_session() -> None:
        app = make_app(config.load(home / "config.toml"), ProviderOptions(preset="canary"))
        async with app.run_test() as pilot:
            app.chat.query_one("#prompt").text = "from the TUI"
            await pilot.press("enter")
            await until(pilot, lambda: bool(app.chat.turns()) and not app.chat.generating)
            await pilot.press("ctrl+e")
            await until(pilot, lambda: any(n.title == "Export" for n in app._notifications))

    asyncio.run(tui_session())
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"  # the key was really used
    assert not any(KEY in r.out or KEY in r.err for r in results)
    files = all_bytes_under(home, exports)
    assert len(files) >= 5  # the store (+ WAL), state, exports
    leaks = [str(path) for path, data in files if KEY.encode() in data]
    assert leaks == []
