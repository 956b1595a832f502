"""API keys are never printed, logged, stored or exported, wherever they come from (an environment variable,
an `api_key_cmd`, a plaintext `api_key` in the config): every output and every file a session leaves behind
(the user's own config.toml aside, where a plaintext key was put by the user) is searched for the key."""

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


SOURCES = {
    "api_key_env": 'api_key_env = "CANARY_KEY"',
    "api_key_cmd": f'api_key_cmd = "printf %s {KEY}"',
    "api_key": f'api_key = "{KEY}"',
}


@pytest.mark.parametrize("source", SOURCES)
def test_key_never_reaches_an_output_or_a_file(cli: Any, server: DemoServer, home: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    if source == "api_key_env":
        monkeypatch.setenv("CANARY_KEY", KEY)
    exports = tmp_path / "exports"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[ui]\nexport_dir = "{exports}"\n[presets.canary]\nbase_url = "{server.base_url}"\n'
        f'{SOURCES[source]}\nmodel = "shape-deepseek"\n', encoding="utf-8")
    results = [
        cli("ask", "--preset", "canary", "hello"),
        cli("ask", "--preset", "canary", "-c", "--json", "again"),
        cli("ask", "--preset", "canary", "--model", "fault-401", "refused"),
        cli("ask", "--preset", "canary", "--model", "fault-drop", "dropped"),
        cli("export", "last", "-o", str(exports / "c.md")),
        cli("export", "1", "--format", "json", "-o", str(exports / "c.json")),
        cli("history", "--json"),
        cli("presets", "--json"),
        cli("presets"),
        cli("models", "--preset", "canary"),
        cli("config", "check"),
        cli("stats", "--json"),
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
    files = [(path, data) for path, data in all_bytes_under(home, exports) if path != home / "config.toml"]
    names = {path.name for path, _ in files}
    assert {"reasonchat.db", "c.md", "c.json"} <= names, names  # the store, the exports, and the TUI's own
    assert any(name.startswith("reasonchat-") and name.endswith(".md") for name in names), names
    leaks = [str(path) for path, data in files if KEY.encode() in data]
    assert leaks == []
