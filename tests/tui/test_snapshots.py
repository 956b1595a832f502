"""Snapshot tests (pytest-textual-snapshot) of the screens a user sees; times are frozen for stable titles.

Update after an intended change with `python -m pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta, StreamFailed, Usage
from reasonchat.core.reply import Reply
from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.store import TranscriptStore
from reasonchat.tui import clock
from reasonchat.tui.app import ReasonChatApp, make_app
from reasonchat.tui.widgets.turn import AssistantTurn
from tests.tui.conftest import drawn_all, until, write_config

SIZE = (100, 34)
REASONING = ("The user asks how to reverse a list in Python. Slicing with [::-1] makes a copy; list.reverse() "
             "works in place. I should show both and say when each fits.")
ANSWER = ("Two ways:\n\n```python\nitems = [1, 2, 3]\nprint(items[::-1])  # a reversed copy\nitems.reverse()"
          "      # in place\n```\n\n| way | copies? |\n|---|---|\n| `[::-1]` | yes |\n| `.reverse()` | no |\n")


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: 103.2)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def finished(reasoning: str, answer: str) -> Reply:
    reply = Reply(model="deepseek-v4-flash", preset="a", started=0.0)
    reply.apply(ReasoningDelta(reasoning), now=0.6)
    reply.apply(AnswerDelta(answer), now=4.8)
    reply.apply(Usage.from_raw({"prompt_tokens": 14, "completion_tokens": 180, "total_tokens": 194,
                                "completion_tokens_details": {"reasoning_tokens": 135}}))
    reply.apply(Finished("stop"))
    return reply


def seeded_app(home: Path, server: DemoServer, error: bool = False) -> tuple[ReasonChatApp, int]:
    cfg = write_config(home, server)
    with TranscriptStore(home / "reasonchat.db") as store:
        conversation = store.create_conversation("a", "deepseek-v4-flash", "How do I reverse a list?")
        store.add_message(conversation, "user", "How do I reverse a list?")
        store.save_reply(conversation, finished(REASONING, ANSWER))
        if error:
            store.add_message(conversation, "user", "And a tuple?")
            failed = Reply(model="deepseek-v4-flash", preset="a")
            failed.apply(StreamFailed("authentication failed (HTTP 401: Authentication Fails) — check the API "
                                      "key for preset 'a' (DEEPSEEK_API_KEY)"))
            store.save_reply(conversation, failed)
        store.conn.execute("UPDATE conversations SET created_at = 1767225600, updated_at = 1767225900")
        store.conn.execute("UPDATE messages SET created_at = 1767225600, updated_at = 1767225900")
    return make_app(cfg, ProviderOptions(preset="a"), remember=False), conversation


def steady(pilot: Any) -> None:
    """A blinking cursor would make every other screenshot differ."""
    pilot.app.chat.query_one("#prompt").cursor_blink = False


async def drawn(pilot: Any) -> None:
    """Whatever was asked is laid out, rendered (off the loop) and painted (no fixed pause: a busy machine only
    makes this slower)."""
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    await until(pilot, lambda: drawn_all(pilot.app))
    await pilot.pause()
    await pilot.pause()


def opened(conversation: int | None, *keys: str, ready: Any = None) -> Any:
    async def run_before(pilot: Any) -> None:
        steady(pilot)
        await until(pilot, lambda: bool(pilot.app.chat.query("Footer")))  # the key bar joins a frame late
        if conversation is not None:
            await pilot.app.chat.open_conversation(conversation)
        for key in keys:
            await pilot.press(key)
        if ready is not None:
            await until(pilot, lambda: ready(pilot.app))
        await drawn(pilot)

    return run_before


def test_turn_mid_reasoning(snap_compare: Any, home: Path, server: DemoServer) -> None:
    """A real flow: a question sent to a model that stops mid-thought (holding its stream open), the screen
    as the user sees it then — their message, the live "Thinking…" block, the status line thinking."""
    from reasonchat.demo.scenarios import STALL_AFTER

    app = make_app(write_config(home, server), ProviderOptions(preset="a", model="fault-stall-thinking"),
                   remember=False)

    async def run_before(pilot: Any) -> None:
        steady(pilot)
        await until(pilot, lambda: bool(pilot.app.chat.query("Footer")))
        pilot.app.chat.prompt.text = "How do I reverse a list?"
        await pilot.press("enter")
        await until(pilot, lambda: bool(pilot.app.chat.query(AssistantTurn))
                    and pilot.app.chat.query_one(AssistantTurn).reply.reasoning_chunks == STALL_AFTER)
        turn = pilot.app.chat.query_one(AssistantTurn)
        await until(pilot, lambda: bool(str(turn.reasoning.body.render()).strip()))
        await pilot.pause(0.2)  # a tick (15 Hz) has copied the last of it onto the screen
        await drawn(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_finished_turn_collapsed(snap_compare: Any, home: Path, server: DemoServer) -> None:
    app, conversation = seeded_app(home, server)
    assert snap_compare(app, terminal_size=SIZE, run_before=opened(conversation))


def test_finished_turn_expanded(snap_compare: Any, home: Path, server: DemoServer) -> None:
    app, conversation = seeded_app(home, server)
    assert snap_compare(app, terminal_size=SIZE, run_before=opened(conversation, "ctrl+t"))


def test_error_turn(snap_compare: Any, home: Path, server: DemoServer) -> None:
    app, conversation = seeded_app(home, server, error=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=opened(conversation))


def test_help_screen(snap_compare: Any, home: Path, server: DemoServer) -> None:
    from reasonchat.tui.screens.help import HelpScreen

    app, _ = seeded_app(home, server)
    assert snap_compare(app, terminal_size=SIZE, run_before=opened(None, "f1",
                                                                   ready=lambda a: isinstance(a.screen, HelpScreen)))


def test_history_screen(snap_compare: Any, home: Path, server: DemoServer) -> None:
    app, _ = seeded_app(home, server)

    def listed(app: Any) -> bool:
        return getattr(app.screen, "shown_query", None) == ""

    async def run_before(pilot: Any) -> None:
        await opened(None, "ctrl+o", ready=listed)(pilot)
        pilot.app.screen.query_one("#search").cursor_blink = False  # a blinking cursor differs shot to shot
        await drawn(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_picker(snap_compare: Any, home: Path, server: DemoServer) -> None:
    app, _ = seeded_app(home, server)

    def listed(app: Any) -> bool:
        models = app.screen.query("#models")
        return bool(models) and models.first().option_count > 3

    assert snap_compare(app, terminal_size=SIZE, run_before=opened(None, "ctrl+k", ready=listed))


def test_first_screen_at_80x24(snap_compare: Any, home: Path, server: DemoServer) -> None:
    """The smallest usual terminal: a hint says who you talk to and the keys that matter; the key bar keeps
    F1, ctrl+q and ctrl+r."""
    app, _ = seeded_app(home, server)
    assert snap_compare(app, terminal_size=(80, 24), run_before=opened(None))


def test_editing_the_last_message(snap_compare: Any, home: Path, server: DemoServer) -> None:
    app, conversation = seeded_app(home, server)

    def editing(app: Any) -> bool:
        return bool(app.chat.prompt.text)

    assert snap_compare(app, terminal_size=SIZE, run_before=opened(conversation, "up", ready=editing))
