"""Helpers for driving the real app headless with `App.run_test()` against the demo server."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

from reasonchat import config
from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.tui.app import ReasonChatApp, make_app
from reasonchat.tui.screens.chat import ChatScreen
from tests.conftest import UNSAFE


def write_config(home: Path, server: DemoServer, extra: str = "") -> config.Config:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "a"\n[ui]\nexport_dir = "{home / "exports"}"\n'
        f'[presets.a]\nbase_url = "{server.base_url}"\nmodel = "shape-deepseek"\n'
        f'[presets.b]\nbase_url = "{server.base_url}"\nmodel = "shape-volcano"\n' + extra,
        encoding="utf-8",
    )
    return config.load(home / "config.toml")


@pytest.fixture
def app_for(home: Path, server: DemoServer) -> Any:
    def build(model: str | None = None, preset: str = "a", extra: str = "") -> ReasonChatApp:
        cfg = write_config(home, server, extra)
        return make_app(cfg, ProviderOptions(preset=preset, model=model), remember=False)

    return build


async def send(pilot: Any, text: str) -> None:
    """Type `text` into the prompt and press Enter."""
    prompt = pilot.app.chat.query_one("#prompt")
    prompt.text = text
    await pilot.press("enter")
    await pilot.pause()


async def edit_last(pilot: Any, text: str) -> None:
    """Up in the empty prompt, the last message replaced by `text`, sent, and the answer waited for."""
    await pilot.press("up")
    await pilot.pause()
    pilot.app.chat.prompt.text = text
    await pilot.press("enter")
    await settle(pilot)


def stuck(app: Any) -> str:
    """The widgets with messages still waiting, each with where its task waits: what a `WaitForScreenTimeout`
    does not say."""
    import io

    found = []
    for node in [app, *app.screen.walk_children(with_self=True)]:
        if node._message_queue.qsize():
            where = io.StringIO()
            if node._task is None:
                where.write("its task never started")
            else:
                node._task.print_stack(limit=6, file=where)
            found.append(f"{node!r} ({node._message_queue.qsize()} waiting):\n{where.getvalue()}")
    return "\n".join(found) or "no widget has a message waiting"


async def pause(pilot: Any, delay: float | None = None) -> None:
    """`pilot.pause`, but a timeout names the widgets that did not answer and where they wait."""
    from textual.pilot import WaitForScreenTimeout

    try:
        await pilot.pause(delay)
    except WaitForScreenTimeout:
        raise AssertionError(f"widgets stopped processing messages:\n{stuck(pilot.app)}") from None


async def settle(pilot: Any, timeout: float = 20) -> None:
    """Wait until no answer is streaming."""
    chat: ChatScreen = pilot.app.chat
    for _ in range(int(timeout / 0.05)):
        await pause(pilot, 0.05)
        if not chat.generating:
            await pause(pilot)
            return
    from reasonchat.tui.widgets.turn import AssistantTurn

    turns = [(t.reply.status, t.reply.version, t.reply.error) for t in chat.query(AssistantTurn)]
    raise AssertionError(f"the answer did not finish: turns {turns}, workers {list(pilot.app.workers)}")


async def until(pilot: Any, condition: Any, timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pause(pilot, 0.05)
    raise AssertionError("condition not met in time")


async def screen_up(pilot: Any, kind: type, timeout: float = 10) -> Any:
    """Wait until the screen on top is a `kind` whose widgets are composed and mounted, and return it. A pushed
    screen is on the stack at once but composes on its own task a moment later: a test that queries it
    straight after `isinstance(app.screen, kind)` reads nothing when the machine is slow."""
    await until(pilot, lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen.is_mounted, timeout)
    return pilot.app.screen


def drawn_all(app: Any) -> bool:
    """Nothing is left to mount or to render off the loop: what is on screen is final."""
    from reasonchat.tui.lazy_lines import LazyLines
    from reasonchat.tui.render_queue import render_queue

    if getattr(app.chat, "loading", False) or render_queue(app).busy:
        return False
    return not any(w.pending for w in app.screen.query(LazyLines)) and not any(
        w.pending for w in app.chat.query(LazyLines))


def terminal_output(app: Any) -> tuple[str, str]:
    """What the current screen sends to a terminal (every byte, as Textual's own screenshot renders it) and
    the plain text a user would read."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    raw = console.file.getvalue()
    return raw, console.export_text()


SAFE_SEQUENCE = re.compile(r"\x1b\[[0-9;]*m|\x1b\[\d+;\d+H")  # colours and cursor moves: what a screen is made of


def assert_terminal_safe(raw: str) -> None:
    """No byte but text, colours and cursor moves: no OSC (clipboard, title), no screen clear, no BEL, C1,
    bidi override or zero-width character."""
    rest = SAFE_SEQUENCE.sub("", raw)
    found = UNSAFE.search(rest)
    near = rest[max(0, found.start() - 40):found.end() + 40] if found else ""
    assert found is None, f"{found.group() if found else ''!r} reached the terminal near {near!r}"


def assert_agree(app: Any, home: Path | None = None) -> None:
    """One state, three views: what the screen shows, what the session has open and what the store holds
    agree — the same messages in the same order, the same title — with nothing streaming."""
    from reasonchat.store import TranscriptStore
    from reasonchat.tui.widgets.stored_turn import StoredTurn
    from reasonchat.tui.widgets.turn import AssistantTurn
    from reasonchat.tui.widgets.user_message import UserMessage

    chat, session = app.chat, app.session
    assert not chat.generating
    assert not chat.mounting_earlier
    shown = [("UserMessage" if isinstance(w, UserMessage) else "AssistantTurn", w.message_id)
             for w in chat.conversation.children if isinstance(w, UserMessage | AssistantTurn | StoredTurn)]
    header = str(chat.query_one("HeaderLine").render())
    if session.conversation_id is None:
        assert shown == [], f"the screen shows {shown} with no conversation open"
        assert chat.query_one("#hint").display
        return
    store = TranscriptStore(home / "reasonchat.db") if home is not None else session.store
    try:
        kept = [("UserMessage" if m.role == "user" else "AssistantTurn", m.id)
                for m in store.messages(session.conversation_id) if m.role in ("user", "assistant")]
        title = store.require(session.conversation_id).title
        versions = store.versions(session.conversation_id)
    finally:
        if home is not None:
            store.close()
    assert shown == kept, f"screen {shown} vs store {kept}"
    from reasonchat.tui.widgets.version_mark import VersionMark

    marks = {m.for_message: (m.number, m.count) for m in chat.conversation.query(VersionMark)}
    assert marks == versions, f"version marks {marks} vs store {versions}"
    assert header.endswith(title), f"header {header!r} vs title {title!r}"
    assert "NOT SAVED" not in header or not session.saving


__all__ = [
    "assert_agree",
    "assert_terminal_safe",
    "asyncio",
    "drawn_all",
    "edit_last",
    "send",
    "settle",
    "terminal_output",
    "until",
    "write_config",
]
