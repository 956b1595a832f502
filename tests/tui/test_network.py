"""The network as users have it, in the TUI (issue 13): Escape in every phase of a request, a real forward
proxy for the chat and the picker, and a slow `api_key_cmd` that must never freeze the screen.

The lag probe is a guard, not a measurement: it records the longest the event loop went without running a
timer and fails only above 500 ms — a UI frozen by a blocking call, not a slow machine."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from reasonchat.demo.server import DemoServer
from reasonchat.tui.screens.presets import PresetPicker
from tests.conftest import ForwardProxy
from tests.tui.conftest import send, settle, until

SIZE = (110, 40)
FROZEN = 0.5  # seconds: longer than this without a timer firing is a frozen screen


@asynccontextmanager
async def lag_probe() -> AsyncIterator[list[float]]:
    """The loop's lateness at every 10 ms tick while the block runs; yields the list it fills."""
    samples: list[float] = []

    async def probe() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            samples.append(time.perf_counter() - started - 0.01)

    task = asyncio.create_task(probe())
    try:
        yield samples
    finally:
        task.cancel()


@pytest.mark.parametrize("phase", ["connecting", "waiting for headers"])
async def test_escape_stops_a_request_in_every_phase(app_for: Any, server: DemoServer, home: Path, phase: str,
                                                     black_hole: str) -> None:
    base_url, model = (black_hole, "m") if phase == "connecting" else (server.base_url, "fault-hang")
    app = app_for(preset="stuck", extra=f'[presets.stuck]\nbase_url = "{base_url}"\nmodel = "{model}"\n'
                                       "timeout = 60\nmax_retries = 0\n")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello?")
        await until(pilot, lambda: app.chat.generating)
        if phase == "waiting for headers":
            await until(pilot, lambda: bool(server.chat_bodies()))
        await pilot.press("escape")
        await settle(pilot, timeout=5)  # at once: not after the 60 s timeout
        turn = app.chat.turns()[0]
        assert turn.reply.status == "stopped"
        assert app.session.store.messages(app.session.conversation_id)[-1].status == "stopped"
        app.session.choose("a", None)  # and the next message works
        await send(pilot, "again")
        await settle(pilot)
        assert app.chat.turns()[-1].reply.status == "complete"


async def test_chat_and_picker_go_through_the_proxy(app_for: Any, forward_proxy: ForwardProxy,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.url)
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "through the office proxy")
        await settle(pilot)
        assert app.chat.turns()[0].reply.status == "complete"
        assert len(forward_proxy.requests("POST")) == 1
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker)
                    and app.screen.query_one("#models", OptionList).option_count > 3)
        assert forward_proxy.requests("GET")  # the picker's GET /models went through it too


def key_command(tmp_path: Path, seconds: float) -> tuple[str, Path]:
    """An api_key_cmd that takes `seconds` and counts its runs in a file."""
    runs = tmp_path / "key-runs"
    return f"echo run >> {runs}; sleep {seconds}; echo sk-slow-key", runs


async def test_a_slow_key_command_never_freezes_the_screen(app_for: Any, server: DemoServer, tmp_path: Path) -> None:
    command, runs = key_command(tmp_path, 1.5)
    extra = (f'[presets.vault]\nbase_url = "{server.base_url}"\nmodel = "shape-deepseek"\n'
             f'api_key_cmd = "{command}"\n')
    app = app_for(extra=extra)
    async with app.run_test(size=SIZE) as pilot, lag_probe() as lag:
        await pilot.press("ctrl+k")  # highlight the preset: its key is looked up to list its models
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#presets")))
        picker = app.screen
        assert isinstance(picker, PresetPicker)
        picker.query_one("#presets", OptionList).highlighted = list(picker.rows).index("vault")
        await until(pilot, lambda: "checking key" in str(picker.query_one("#reason").render()))
        await pilot.press("enter")  # picked while the key is still being looked up
        await until(pilot, lambda: app.screen is app.chat)
        await send(pilot, "first message after the switch")  # waits for the key on a thread, then sends
        assert app.chat.prompt.text  # still in the prompt while the key is looked up
        await until(pilot, lambda: bool(app.chat.turns()), timeout=10)
        await settle(pilot, timeout=20)
        assert app.chat.turns()[0].reply.status == "complete"
        assert server.requests[-1].headers["authorization"] == "Bearer sk-slow-key"
        assert max(lag) < FROZEN, f"the loop froze for {max(lag):.2f} s"
    assert runs.read_text().count("run") == 1  # looked up once, however many wanted it meanwhile


async def test_a_slow_key_never_lands_on_a_provider_switched_away_from(app_for: Any, server: DemoServer,
                                                                       tmp_path: Path) -> None:
    command, runs = key_command(tmp_path, 1.0)
    extra = (f'[presets.vault]\nbase_url = "{server.base_url}"\nmodel = "shape-volcano"\n'
             f'api_key_cmd = "{command}"\n')
    app = app_for(extra=extra)
    async with app.run_test(size=SIZE) as pilot, lag_probe() as lag:
        app.session.choose("vault", None)
        await send(pilot, "hello")  # the key is looked up on a thread…
        await until(pilot, lambda: runs.exists())
        app.session.choose("a", None)  # …and the user switches away meanwhile
        await until(pilot, lambda: not app.chat.resolving, timeout=10)
        # A notice is a message to the app: it is in the list a moment after `resolving` is cleared.
        await until(pilot, lambda: any("nothing was sent" in n.message for n in app._notifications))
        assert server.chat_bodies() == []  # nothing went to the abandoned choice
        assert app.chat.prompt.text == "hello"  # the message is still there to send
        assert app.session.provider_if_ready() is None  # and vault's key did not become a's provider
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.chat.turns()))
        await settle(pilot)
        assert server.chat_bodies()[-1]["model"] == "shape-deepseek"
        assert max(lag) < FROZEN
