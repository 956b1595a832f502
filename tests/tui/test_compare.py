"""Compare in the TUI: one prompt to 2-3 columns streaming at once over HTTP from the demo server; a column
failing or stopped ends alone; follow-ups continue each column; F5/F6/F7 continues one in the chat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.store import TranscriptStore
from reasonchat.tui.screens.compare import CompareScreen
from reasonchat.tui.screens.compare_picker import ComparePicker
from reasonchat.tui.widgets.compare_column import CompareColumn
from reasonchat.tui.widgets.turn import AssistantTurn
from tests.tui.conftest import assert_agree, screen_up, until, write_config

SIZE = (160, 40)
EXTRA = ('\n[presets.c]\nbase_url = "{url}"\nmodel = "fault-midstream"\n'
         '\n[presets.slow]\nbase_url = "{url}"\nmodel = "think-slow"\n')


def build(home: Path, server: DemoServer, *names: str) -> Any:
    from reasonchat import config
    from reasonchat.tui.app import make_app

    write_config(home, server, EXTRA.format(url=server.base_url))
    cfg = config.load(home / "config.toml")
    return make_app(cfg, ProviderOptions(preset="a"), remember=False,
                    compare=[ProviderOptions(preset=n) for n in names])


def columns(app: Any) -> list[CompareColumn]:
    return list(app.screen.query(CompareColumn))


async def ready(pilot: Any, count: int) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, CompareScreen) and len(columns(pilot.app)) == count
                and all(c.provider is not None for c in columns(pilot.app)))


async def ask_all(pilot: Any, text: str) -> None:
    pilot.app.screen.query_one("#prompt").text = text
    await pilot.press("enter")
    await pilot.pause()


async def compared_then_history(pilot: Any, text: str) -> list[int]:
    """Ask every column `text`, wait for the answers, go back to the chat and open history; the columns'
    conversations."""
    from reasonchat.tui.screens.history import HistoryScreen

    app = pilot.app
    await ready(pilot, 2)
    await ask_all(pilot, text)
    await done(pilot)
    ids = [c.session.conversation_id for c in columns(app)]
    await pilot.press("escape")
    await until(pilot, lambda: app.screen is app.chat)
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.shown_query == "")
    return ids


async def done(pilot: Any, timeout: float = 30) -> None:
    await until(pilot, lambda: not pilot.app.screen.streaming, timeout=timeout)
    await pilot.pause()


async def test_three_columns_answer_at_once_and_one_failing_ends_alone(home: Path, server: DemoServer) -> None:
    app = build(home, server, "a", "c", "b")  # c's model breaks off mid-answer
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, 3)
        await ask_all(pilot, "compare me")
        await until(pilot, lambda: all(c.query(AssistantTurn) for c in columns(app)))
        await done(pilot)
        replies = [c.query_one(AssistantTurn).reply for c in columns(app)]
        assert [r.status for r in replies] == ["complete", "interrupted", "complete"]
        assert replies[0].content and replies[2].content and "upstream model crashed" in str(replies[1].error)
        assert columns(app)[1].has_class("-failed")
        footer = str(columns(app)[0].query_one(".compare-column--footer").render())
        assert "first token" in footer and "tok/s" in footer and "thought" in footer
        ids = [c.session.conversation_id for c in columns(app)]
        with TranscriptStore(home / "reasonchat.db") as store:
            assert [m.id for m in store.compare_members(min(ids))] == sorted(ids)  # linked, one entry
            listed = store.list_conversations()
            assert [c.id for c in listed] == [min(ids)]
            assert [m.status for m in store.messages(ids[1])][-1] == "interrupted"
        # a follow-up continues each column's own conversation
        await ask_all(pilot, "and a follow-up")
        await done(pilot)
        with TranscriptStore(home / "reasonchat.db") as store:
            assert [len(store.messages(i)) for i in ids] == [4, 4, 4]
        bodies = [b for b in server.chat_bodies() if b["messages"][-1]["content"] == "and a follow-up"]
        assert len(bodies) == 3 and all(len(b["messages"]) >= 2 for b in bodies)


async def test_one_column_stopped_the_others_go_on(home: Path, server: DemoServer) -> None:
    app = build(home, server, "slow", "b")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, 2)
        await ask_all(pilot, "think slowly")
        await until(pilot, lambda: columns(app)[0].streaming)
        await pilot.press("f5")
        await done(pilot)
        slow, fast = (c.query_one(AssistantTurn).reply for c in columns(app))
        assert slow.status == "stopped" and fast.status == "complete"
        with TranscriptStore(home / "reasonchat.db") as store:
            assert store.messages(columns(app)[0].session.conversation_id)[-1].status == "stopped"
        # once done, F6 continues that column's conversation in the chat
        chosen = columns(app)[1].session.conversation_id
        await pilot.press("f6")
        await until(pilot, lambda: app.session.conversation_id == chosen and bool(app.chat.query("StoredTurn")))
        assert_agree(app, home)


async def test_escape_stops_every_column_then_goes_back(home: Path, server: DemoServer) -> None:
    app = build(home, server, "slow", "slow")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, 2)
        await ask_all(pilot, "think")
        await until(pilot, lambda: all(c.streaming for c in columns(app)))
        await pilot.press("escape")
        await done(pilot)
        assert [c.query_one(AssistantTurn).reply.status for c in columns(app)] == ["stopped", "stopped"]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.chat)


async def test_narrow_terminals_stack_the_columns(home: Path, server: DemoServer) -> None:
    app = build(home, server, "a", "b", "c")
    async with app.run_test(size=(80, 40)) as pilot:
        await ready(pilot, 3)
        assert app.screen.query_one("#columns").has_class("-stacked")
        tops = [c.region.y for c in columns(app)]
        assert tops == sorted(tops) and len(set(tops)) == 3  # one above the other
    wide = build(home, server, "a", "b", "c")
    async with wide.run_test(size=(160, 40)) as pilot:
        await ready(pilot, 3)
        assert not wide.screen.query_one("#columns").has_class("-stacked")
        assert len({c.region.y for c in columns(wide)}) == 1  # side by side


async def test_f2_chooses_what_to_compare(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await screen_up(pilot, ComparePicker)
        picker = app.screen
        await pilot.press("enter")  # nothing ticked: says what to do
        assert "Tick 2 or 3" in str(picker.query_one("#compare-note").render())
        listing = picker.query_one("SelectionList")
        listing.select("a")
        listing.select("b")
        await pilot.pause()
        await pilot.press("enter")
        await screen_up(pilot, CompareScreen)
        assert [c.session.options.preset for c in app.screen.query(CompareColumn)] == ["a", "b"]


async def test_a_compare_reopened_from_history_shows_its_columns_and_goes_on(home: Path, server: DemoServer) -> None:
    from reasonchat.tui.widgets.stored_turn import StoredTurn

    app = build(home, server, "a", "b")
    async with app.run_test(size=SIZE) as pilot:
        ids = await compared_then_history(pilot, "first round")
        row = str(app.screen.query_one("OptionList").get_option_at_index(0).prompt)
        assert "⇉ a·shape-deepseek | b·shape-volcano" in row  # as `reasonchat history` names it
        await pilot.press("enter")
        await ready(pilot, 2)
        assert [c.session.conversation_id for c in columns(app)] == ids
        await until(pilot, lambda: all(c.query(StoredTurn) for c in columns(app)))
        await ask_all(pilot, "second round")
        await done(pilot)
        with TranscriptStore(home / "reasonchat.db") as store:
            assert [len(store.messages(i)) for i in ids] == [4, 4]
            assert len(store.list_conversations()) == 1


async def test_deleting_a_compare_from_history_deletes_its_columns(home: Path, server: DemoServer) -> None:
    from reasonchat.tui.screens.confirm import ConfirmScreen
    from reasonchat.tui.screens.history import HistoryScreen

    app = build(home, server, "a", "b")
    async with app.run_test(size=SIZE) as pilot:
        await compared_then_history(pilot, "to be deleted")
        await pilot.press("ctrl+d")
        await screen_up(pilot, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen)
                    and app.screen.query_one("OptionList").option_count == 0)
        with TranscriptStore(home / "reasonchat.db") as store:
            assert store.list_conversations() == []


def test_a_compare_whose_first_column_is_deleted_is_still_listed(tmp_path: Path) -> None:
    with TranscriptStore(tmp_path / "s.db") as store:
        ids = [store.create_conversation("p", "m", f"q{i}") for i in range(3)]
        store.link_compare(ids)
        store.delete(ids[0])  # `history --delete` of one column
        assert [c.id for c in store.list_conversations()] == [ids[1]]
        assert [m.id for m in store.compare_members(ids[0])] == ids[1:]
