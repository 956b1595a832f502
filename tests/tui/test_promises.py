"""What the README promises about the TUI that no other test held: the last preset, model, thinking switch,
effort and theme come back at the next start; history's search waits for a pause in typing, runs off the
screen's loop, and a newer query wins over a stale one; the palette's "Use preset: …"; the "Checking the
key…" line while an api_key_cmd runs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList

from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.state import load_state
from reasonchat.store import TranscriptStore
from reasonchat.tui.app import make_app
from reasonchat.tui.screens.history import HistoryScreen
from reasonchat.tui.screens.presets import PresetPicker
from reasonchat.tui.widgets.header_line import HeaderLine
from tests.conftest import answered
from tests.tui.conftest import assert_agree, screen_up, send, settle, until, write_config
from tests.tui.test_network import GatedKey

SIZE = (110, 36)


async def test_preset_model_thinking_effort_and_theme_come_back_at_the_next_start(home: Path,
                                                                                 server: DemoServer) -> None:
    cfg = write_config(home, server)
    app = make_app(cfg, ProviderOptions(), remember=True)  # a bare `reasonchat`: nothing named
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#models")))
        picker = app.screen
        assert isinstance(picker, PresetPicker)
        picker.query_one("#presets", OptionList).highlighted = list(picker.rows).index("b")
        models = picker.query_one("#models", OptionList)
        await until(pilot, lambda: picker.highlighted_row == "b" and models.option_count > 3)
        ids = [models.get_option_at_index(i).id for i in range(models.option_count)]
        await pilot.press("right")
        models.highlighted = ids.index("shape-think-tags")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is app.chat)
        await pilot.press("f3", "ctrl+g", "ctrl+g")  # thinking off; effort: the preset's own → low → medium
        app.theme = "nord"
        await pilot.pause()
        chosen = (app.session.options.preset, app.session.options.model, app.session.thinking, app.session.effort)
        assert chosen == ("b", "shape-think-tags", False, "medium")
    assert load_state().preset == "b"

    again = make_app(cfg, ProviderOptions(), remember=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = again.session
        assert (session.options.preset, session.options.model, session.thinking, session.effort) == chosen
        assert again.theme == "nord"
        header = str(again.chat.query_one(HeaderLine).render())
        assert header.startswith("b · shape-think-tags · thinking off"), header
        await send(pilot, "what was sent?")
        await settle(pilot)
    body = server.chat_bodies()[-1]
    assert body["model"] == "shape-think-tags"  # and it is what the next request uses

    named = make_app(cfg, ProviderOptions(preset="a"), remember=True)  # a preset on the command line wins
    async with named.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert (named.session.options.preset, named.session.options.model) == ("a", None)


def seeded(home: Path, titles: list[str]) -> None:
    with TranscriptStore(home / "reasonchat.db") as store:
        for title in titles:
            conversation = store.create_conversation("a", "shape-deepseek", title)
            store.add_message(conversation, "user", f"about {title}")
            store.save_reply(conversation, answered(f"an answer on {title}"))


async def test_history_search_waits_for_a_pause_runs_off_the_loop_and_the_newest_query_wins(
        app_for: Any, home: Path, monkeypatch: Any) -> None:
    from reasonchat.tui.screens import history as history_screen

    monkeypatch.setattr(history_screen, "PAUSE", 3.0)  # longer than any burst of keys, however slow the machine
    app = app_for()
    seeded(home, ["alpha river", "beta mountain", "gamma river"])
    # The store's own search, held on a gate for the first query: it runs on a thread (the screen answers
    # keys meanwhile), and its stale rows, when they come, must not replace the newer query's.
    gate, returned = threading.Event(), threading.Event()
    asked: list[tuple[str, str]] = []
    real_search = TranscriptStore.search

    def search(self: TranscriptStore, query: str, *args: Any, **kwargs: Any) -> Any:
        asked.append((query, threading.current_thread().name))
        if query == "river":
            gate.wait(20)
        try:
            return real_search(self, query, *args, **kwargs)
        finally:
            if query == "river":
                returned.set()

    monkeypatch.setattr(TranscriptStore, "search", search)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await screen_up(pilot, HistoryScreen)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        await until(pilot, lambda: history.shown_query == "")  # the plain listing first
        await pilot.press(*"river")
        assert asked == []  # nothing searched while typing…
        await until(pilot, lambda: bool(asked))
        assert [query for query, _ in asked] == ["river"]  # …then one search, for the whole word
        assert asked[0][1] != threading.current_thread().name  # on a thread, not the screen's loop
        search_box = history.query_one("#search", Input)
        await pilot.press("ctrl+u", *"mountain")  # a newer query, typed while the first is held
        assert search_box.value == "mountain"  # (the screen answered every key)
        await until(pilot, lambda: history.shown_query == "mountain")
        listed = history.query_one("#conversations", OptionList)
        assert listed.option_count == 1 and "beta mountain" in str(listed.get_option_at_index(0).prompt)
        gate.set()  # the stale query ends now…
        await until(pilot, returned.is_set)
        for _ in range(4):  # (what it would show comes from its thread at once: a few frames are enough)
            await pilot.pause(0.05)
        assert history.shown_query == "mountain"  # …and its rows never replace the newer ones
        assert listed.option_count == 1 and "beta mountain" in str(listed.get_option_at_index(0).prompt)


async def test_the_palette_switches_preset_by_its_use_preset_entry(app_for: Any, server: DemoServer,
                                                                  home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello a")
        await settle(pilot)
        await from_the_palette(pilot, "Use preset: b")  # mid-conversation: the next answer comes from b
        await until(pilot, lambda: app.session.options.preset == "b")
        assert str(app.chat.query_one(HeaderLine).render()).startswith("b · shape-volcano")
        await send(pilot, "hello b")
        await settle(pilot)
        assert [body["model"] for body in server.chat_bodies()] == ["shape-deepseek", "shape-volcano"]
        assert len(app.chat.turns()) == 2
        assert_agree(app, home)  # the same conversation, on screen, in the session and in the store


def test_every_palette_entry_names_an_action_that_exists(home: Path, server: DemoServer) -> None:
    """The class of "Use preset: … did nothing": an entry's action is run by name (`App.run_action`), so a
    name with no `action_…` method behind it fails silently. Every entry of a config with roles and presets."""
    from reasonchat.tui.app import ReasonChatApp
    from reasonchat.tui.commands import entries
    from reasonchat.tui.screens.chat import ChatScreen

    cfg = write_config(home, server, '[roles.tutor]\nsystem = "Explain slowly."\n')
    for entry in entries(cfg):
        target, _, name = entry.action.split("(")[0].rpartition(".")
        owner = ReasonChatApp if target == "app" else ChatScreen
        assert callable(getattr(owner, f"action_{name}", None)), entry


async def test_the_palette_sets_a_role_by_its_use_role_entry(app_for: Any, server: DemoServer) -> None:
    app = app_for(extra='[roles.tutor]\nsystem = "Explain slowly."\n')
    async with app.run_test(size=SIZE) as pilot:
        await from_the_palette(pilot, "Use role: tutor")
        await until(pilot, lambda: app.screen is app.chat)
        await send(pilot, "hello")
        await settle(pilot)
    assert server.chat_bodies()[-1]["messages"][0] == {"role": "system", "content": "Explain slowly."}


async def from_the_palette(pilot: Any, title: str) -> None:
    """ctrl+p, `title` typed, and Enter once the palette lists it (first: the typed text is its best match)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*title)
    await until(pilot, lambda: _palette_text(pilot.app).startswith(title))
    await pilot.press("enter")


def _palette_text(app: Any) -> str:
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return ""
    options = found.first()
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def test_checking_the_key_is_said_while_an_api_key_cmd_runs(app_for: Any, server: DemoServer,
                                                                 tmp_path: Path) -> None:
    key = GatedKey(tmp_path)
    try:
        extra = (f'[presets.vault]\nbase_url = "{server.base_url}"\nmodel = "shape-deepseek"\n'
                 f'api_key_cmd = "{key.command}"\n')
        app = app_for(preset="vault", extra=extra)
        async with app.run_test(size=SIZE) as pilot:
            await send(pilot, "hello")
            await until(pilot, key.started)
            status = app.chat.query_one("StatusBar")
            await until(pilot, lambda: "Checking the key" in str(status.render()))
            key.open()
            await settle(pilot)
            assert "Checking the key" not in str(status.render())
            assert app.chat.turns()[0].reply.status == "complete"
    finally:
        key.close()
