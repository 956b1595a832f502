"""The transcript store: migrations, crash recovery, search (Latin and Chinese), concurrency, permissions."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reasonchat.core.attachments import Attachment
from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta, Usage
from reasonchat.core.reply import Reply
from reasonchat.errors import StoreError, UsageError
from reasonchat.store import TranscriptStore, cjk
from reasonchat.store.migrations import LATEST, current_version, migrate


def finished_reply(reasoning: str, answer: str) -> Reply:
    reply = Reply(model="m", preset="p")
    reply.apply(ReasoningDelta(reasoning))
    reply.apply(AnswerDelta(answer))
    reply.apply(Usage.from_raw({"prompt_tokens": 5, "completion_tokens": 9,
                                "completion_tokens_details": {"reasoning_tokens": 4}}))
    reply.apply(Finished("stop"))
    return reply


def add_exchange(store: TranscriptStore, prompt: str, reasoning: str, answer: str) -> int:
    conversation = store.create_conversation("p", "m", prompt)
    store.add_message(conversation, "user", prompt)
    store.save_reply(conversation, finished_reply(reasoning, answer))
    return conversation


def test_fresh_store_is_migrated_and_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "reasonchat.db"
    with TranscriptStore(path) as store:
        assert current_version(store.conn) == LATEST
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_migrates_from_every_earlier_version(tmp_path: Path) -> None:
    for start in range(1, LATEST):
        path = tmp_path / f"v{start}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        cjk.register(conn)  # the pair index's triggers (from version 6) call it
        migrate(conn, target=start)
        conn.execute("INSERT INTO conversations(title, created_at, updated_at) VALUES ('old', 1, 1)")
        conn.execute("INSERT INTO messages(conversation_id, role, content, reasoning, created_at, updated_at) "
                     "VALUES (1, 'assistant', 'an answer about migrations', 'old thoughts', 1, 1)")
        conn.close()
        with TranscriptStore(path) as store:
            assert current_version(store.conn) == LATEST
            assert [h.conversation.title for h in store.search("migrations")] == ["old"]
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            old = store.messages(1)[0]  # what earlier schemas did not keep is unknown, not made up
            assert (old.cost, old.currency, old.reasoning_cut, old.sent) == (None, None, False, None)
            assert old.reasoning_estimate is None and old.reasoning_count == (3, False)  # "old thoughts" / 4
            columns = {row[1] for row in store.conn.execute("PRAGMA table_info(messages)")}
            assert not {"content_outline", "reasoning_outline"} & columns  # what migration 7 added is gone
            assert (store.require(1).cost, store.settings(1)) == (None, {})
            assert old.rounds == [] and old.attachments == ()  # (migrations 9 and 10: tool rounds, attachments)
            store.add_message(1, "user", "and this file?", attachments=[Attachment(
                "a.py", "text", "text/plain", 9, "0" * 64, text="print(1)\n")])
            assert store.messages(1)[-1].attachments[0].text == "print(1)\n"


def test_newer_store_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    TranscriptStore(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', 0)")
    conn.close()
    with pytest.raises(StoreError, match="newer reasonchat"):
        TranscriptStore(path)


def test_orphaned_streaming_row_is_marked_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with TranscriptStore(path) as store:
        conversation = store.create_conversation("p", "m", "q")
        reply = Reply(model="m")
        reply.apply(AnswerDelta("half an ans"))
        message = store.save_reply(conversation, reply)
        store.conn.execute("UPDATE messages SET writer_pid = ? WHERE id = ?", (int(dead.stdout), message))
        live = store.save_reply(conversation, Reply(model="m"))  # ours: still alive, must stay streaming
    with TranscriptStore(path) as store:
        rows = {m.id: m for m in store.messages(conversation)}
        assert rows[message].status == "interrupted"
        assert rows[message].content == "half an ans"
        assert rows[live].status == "streaming"


def test_list_rename_delete(tmp_path: Path) -> None:
    with TranscriptStore(tmp_path / "s.db") as store:
        first = add_exchange(store, "first question", "r", "a")
        second = add_exchange(store, "second question", "r", "a")
        assert [c.id for c in store.list_conversations()] == [second, first]
        assert store.list_conversations()[0].message_count == 2
        store.rename(first, "  Renamed   title ")
        assert store.require(first).title == "Renamed title"
        store.delete(second)
        assert [c.id for c in store.list_conversations()] == [first]
        assert store.search("second") == []
        with pytest.raises(UsageError, match="no conversation 999"):
            store.delete(999)


def test_search_latin_chinese_and_reasoning(tmp_path: Path) -> None:
    with TranscriptStore(tmp_path / "s.db") as store:
        add_exchange(store, "How do monads compose?", "think about Kleisli arrows", "Monads compose via bind.")
        chinese = add_exchange(store, "什么是推理模型？", "先想一想用户的问题", "推理模型会先思考再回答。")
        assert [h.role for h in store.search("compose")] == ["assistant", "user"]
        assert store.search("Kleisli") == []
        assert [h.role for h in store.search("Kleisli", reasoning=True)] == ["assistant"]
        hits = store.search("先思考再")
        assert [h.conversation.id for h in hits] == [chinese]
        assert "[先思考再]" in hits[0].snippet
        assert {h.role for h in store.search("推理")} == {"user", "assistant"}  # two characters: scan fallback
        assert store.search("用户") == []
        assert len(store.search("用户", reasoning=True)) == 1
        assert store.search('quote " and * ( stars') == []


def test_two_processes_writing_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    TranscriptStore(path).close()
    writer = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from reasonchat.store import TranscriptStore
        from reasonchat.core.reply import Reply
        from reasonchat.core.events import AnswerDelta, Finished
        store = TranscriptStore(Path({str(path)!r}))
        for i in range(150):
            c = store.create_conversation("p", "m", f"{{sys.argv[1]}} {{i}}")
            store.add_message(c, "user", "q")
            reply = Reply(model="m")
            reply.apply(AnswerDelta("a"))
            mid = store.save_reply(c, reply)
            reply.apply(Finished("stop"))
            store.save_reply(c, reply, mid)
    """)
    procs = [subprocess.Popen([sys.executable, "-c", writer, name]) for name in ("one", "two")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    with TranscriptStore(path) as store:
        assert store.conn.execute("SELECT count(*) FROM conversations").fetchone()[0] == 300
        complete = "SELECT count(*) FROM messages WHERE role = 'assistant' AND status = 'complete'"
        assert store.conn.execute(complete).fetchone()[0] == 300
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
