"""The network as users have it, in the TUI (issue 13): Escape in every phase of a request, a real forward
proxy for the chat and the picker, and a slow `api_key_cmd` that must never freeze the screen.

No stopwatch: the key command waits on a FIFO the test opens, and the screen is shown answering keys while
it waits."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from reasonchat.demo.server import DemoServer
from reasonchat.tui.screens.presets import PresetPicker
from tests.conftest import ForwardProxy
from tests.tui.conftest import send, settle, until

SIZE = (110, 40)


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


class GatedKey:
    """An api_key_cmd that counts its runs in a file and then waits on a FIFO until the test opens the gate:
    the command is slow for exactly as long as the test needs, on any machine, and no stopwatch is asked."""

    def __init__(self, tmp_path: Path) -> None:
        self.runs = tmp_path / "key-runs"
        self.gate = tmp_path / "key-gate"
        os.mkfifo(self.gate)
        self.command = f"echo run >> {self.runs}; read line < {self.gate}; echo sk-slow-key"

    def started(self) -> bool:
        return self.runs.exists()

    def open(self) -> None:
        """Let the waiting command finish (it is already reading: opening the FIFO for writing cannot hang)."""
        assert self.started()
        with self.gate.open("w") as gate:
            gate.write("go\n")

    def close(self) -> None:
        """Free a command still waiting when a test failed, so no shell outlives it."""
        with contextlib.suppress(OSError):
            fd = os.open(self.gate, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO when nothing waits
            os.write(fd, b"go\n")
            os.close(fd)


@pytest.fixture
def gated_key(tmp_path: Path) -> Iterator[GatedKey]:
    key = GatedKey(tmp_path)
    yield key
    key.close()


async def keys_are_handled(pilot: Any) -> None:
    """The screen answers keys: F1 opens the help and Escape closes it (a frozen loop would do neither)."""
    app = pilot.app
    before = app.screen
    await pilot.press("f1")
    await until(pilot, lambda: app.screen is not before)
    await pilot.press("escape")
    await until(pilot, lambda: app.screen is before)


async def test_a_slow_key_command_never_freezes_the_screen(app_for: Any, server: DemoServer,
                                                           gated_key: GatedKey) -> None:
    extra = (f'[presets.vault]\nbase_url = "{server.base_url}"\nmodel = "shape-deepseek"\n'
             f'api_key_cmd = "{gated_key.command}"\n')
    app = app_for(extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")  # highlight the preset: its key is looked up to list its models
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#presets")))
        picker = app.screen
        assert isinstance(picker, PresetPicker)
        picker.query_one("#presets", OptionList).highlighted = list(picker.rows).index("vault")
        await until(pilot, gated_key.started)
        await until(pilot, lambda: "checking key" in str(picker.query_one("#reason").render()))
        await pilot.press("enter")  # picked while the key is still being looked up
        await until(pilot, lambda: app.screen is app.chat)
        await send(pilot, "first message after the switch")  # waits for the key on a thread, then sends
        await keys_are_handled(pilot)  # while the command still waits
        assert app.chat.prompt.text == "first message after the switch"  # kept while the key is looked up
        assert not app.chat.turns() and server.chat_bodies() == []
        gated_key.open()
        await until(pilot, lambda: bool(app.chat.turns()), timeout=10)
        await settle(pilot, timeout=20)
        assert app.chat.turns()[0].reply.status == "complete"
        assert server.requests[-1].headers["authorization"] == "Bearer sk-slow-key"
    assert gated_key.runs.read_text().count("run") == 1  # looked up once, however many wanted it meanwhile


async def test_a_slow_key_never_lands_on_a_provider_switched_away_from(app_for: Any, server: DemoServer,
                                                                       gated_key: GatedKey) -> None:
    extra = (f'[presets.vault]\nbase_url = "{server.base_url}"\nmodel = "shape-volcano"\n'
             f'api_key_cmd = "{gated_key.command}"\n')
    app = app_for(extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        app.session.choose("vault", None)
        await send(pilot, "hello")  # the key is looked up on a thread…
        await until(pilot, gated_key.started)
        await keys_are_handled(pilot)
        app.session.choose("a", None)  # …and the user switches away meanwhile
        gated_key.open()
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
