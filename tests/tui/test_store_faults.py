"""The TUI with a store it cannot use: it says so once, keeps working in memory, and loses no text."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.tui.app import make_app
from reasonchat.tui.screens.history import HistoryScreen
from reasonchat.tui.widgets.header_line import HeaderLine
from reasonchat.tui.widgets.turn import AssistantTurn
from tests.tui.conftest import send, settle, until, write_config

SIZE = (110, 40)


async def test_unusable_data_dir_chats_in_memory_and_says_so(home: Path, server: DemoServer) -> None:
    cfg = write_config(home, server)
    blocked = home / "blocked"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    app = make_app(cfg, ProviderOptions(preset="a"), store_path=blocked / "reasonchat.db", remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(n.title == "Not saving" for n in app._notifications))
        note = next(n.message for n in app._notifications if n.title == "Not saving")
        assert f"cannot open the store {blocked / 'reasonchat.db'}" in note
        assert f"make {blocked} a writable folder" in note
        assert "Nothing of this session is saved" in note
        assert "NOT SAVED" in str(app.chat.query_one(HeaderLine).render())
        await send(pilot, "first question")
        await settle(pilot)
        await send(pilot, "a follow-up")
        await settle(pilot)
        turns = list(app.chat.query(AssistantTurn))
        assert [t.reply.status for t in turns] == ["complete", "complete"]
        sent = server.chat_bodies()[-1]["messages"]
        assert [m["role"] for m in sent] == ["user", "assistant", "user"]  # the conversation went on in memory
        assert sent[1]["content"] == turns[0].reply.content
        app.action_history()
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen)
                    and [o.option_count for o in app.screen.query(OptionList)] == [1])
    assert blocked.read_text(encoding="utf-8") == "a file where the data folder should be"


async def test_store_from_a_newer_reasonchat_is_left_alone(home: Path, server: DemoServer) -> None:
    import hashlib
    import sqlite3

    from reasonchat.store import TranscriptStore

    cfg = write_config(home, server)
    path = home / "reasonchat.db"
    TranscriptStore(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', 0)")
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    app = make_app(cfg, ProviderOptions(preset="a"), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(n.title == "Not saving" for n in app._notifications))
        note = next(n.message for n in app._notifications if n.title == "Not saving")
        assert "written by a newer reasonchat" in note
        await send(pilot, "still works")
        await settle(pilot)
        assert app.chat.query_one(AssistantTurn).reply.status == "complete"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # never migrated down, not written
