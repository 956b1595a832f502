"""Versions in the TUI: regenerate and edit keep the earlier exchange, `◀ 2/3 ▶` shows where, alt+←/→ step
through them, the conversation goes on from the version shown, and a search opens on the branch it found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reasonchat.demo.server import DemoServer
from reasonchat.store import TranscriptStore
from reasonchat.tui.screens.history import HistoryScreen
from reasonchat.tui.widgets.turn import AssistantTurn
from reasonchat.tui.widgets.user_message import UserMessage
from reasonchat.tui.widgets.version_mark import VersionMark
from tests.tui.conftest import assert_agree, edit_last, screen_up, send, settle, until

SIZE = (110, 40)


def marks(app: Any) -> list[tuple[int, int]]:
    return [(m.number, m.count) for m in app.chat.conversation.query(VersionMark)]


async def test_regenerate_keeps_the_earlier_answer_and_alt_arrows_step_through(app_for: Any, home: Path,
                                                                               server: DemoServer) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "tell me about owls")
        await settle(pilot)
        first = app.chat.query(AssistantTurn).last().reply.content
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert marks(app) == [(3, 3)]
        assert "◀ 3/3 ▶" in str(app.chat.query_one(VersionMark).render())
        assert_agree(app, home)
        await pilot.press("alt+left")
        await until(pilot, lambda: marks(app) == [(2, 3)])
        await pilot.press("alt+left")
        await until(pilot, lambda: marks(app) == [(1, 3)])
        assert app.chat.query("StoredTurn").last().reply.content == first
        assert_agree(app, home)
        await send(pilot, "and their eyes?")  # goes on from the version shown
        await settle(pilot)
        sent = server.chat_bodies()[-1]["messages"]
        assert sent[-2] == {"role": "assistant", "content": first}
        with TranscriptStore(home / "reasonchat.db") as store:
            assert len(store.all_messages(app.session.conversation_id)) == 6  # q, 3 answers, q2, a2
        assert_agree(app, home)


async def test_an_edit_is_a_new_version_of_the_question(app_for: Any, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "what is a crdt")
        await settle(pilot)
        await edit_last(pilot, "what is a CRDT, briefly?")
        assert marks(app) == [(2, 2)]
        assert [w.text for w in app.chat.query(UserMessage)] == ["what is a CRDT, briefly?"]
        assert_agree(app, home)
        await pilot.press("alt+right")  # wraps round to the first version
        await until(pilot, lambda: marks(app) == [(1, 2)])
        assert [w.text for w in app.chat.query(UserMessage)] == ["what is a crdt"]
        assert_agree(app, home)


async def test_no_versions_says_how_to_make_one(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hi")
        await settle(pilot)
        await pilot.press("alt+left")
        await until(pilot, lambda: any("No other versions" in n.message for n in app._notifications))


async def test_a_search_hit_in_another_branch_opens_on_it(app_for: Any, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "zebra stripes")
        await settle(pilot)
        await edit_last(pilot, "owl feathers")  # the zebra exchange is now a branch not shown
        await send(pilot, "and their colours?")
        await settle(pilot)
        conversation = app.session.conversation_id
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await screen_up(pilot, HistoryScreen)
        app.screen.query_one("#search").value = "zebra"
        await until(pilot, lambda: app.screen.shown_query == "zebra")
        await pilot.press("enter")
        await until(pilot, lambda: app.session.conversation_id == conversation and bool(app.chat.query("StoredTurn")))
        assert [w.text for w in app.chat.query(UserMessage)] == ["zebra stripes"]
        assert marks(app) == [(1, 2)]
        assert_agree(app, home)


async def test_switching_versions_mid_answer_is_refused_and_nothing_moves(app_for: Any, home: Path) -> None:
    app = app_for(model="think-slow")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "think")
        await until(pilot, lambda: app.chat.generating)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+r")  # a second version, answering slowly
        await until(pilot, lambda: app.chat.generating)
        await pilot.press("alt+left")
        await until(pilot, lambda: any("Still answering" in n.message for n in app._notifications))
        assert app.chat.generating  # the answer in flight goes on
        await pilot.press("escape")
        await settle(pilot)
        assert marks(app) == [(2, 2)]
        assert_agree(app, home)
        await pilot.press("alt+left")
        await until(pilot, lambda: marks(app) == [(1, 2)])
        assert_agree(app, home)
