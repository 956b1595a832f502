"""Two-character Chinese words are found through the pair index, including in messages from before it, which
are indexed in the background; until then a search still finds them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reasonchat.store import TranscriptStore, cjk
from reasonchat.store.migrations import migrate
from tests.conftest import answered


def test_pairs() -> None:
    assert cjk.pairs("鲸鱼很大 and 索引 a 鲸") == "鲸鱼 鱼很 很大 索引"  # a run of one character has no pair
    assert cjk.pairs("索引。数据库") == "索引 数据 据库"
    assert cjk.is_pair("鲸鱼") and not cjk.is_pair("鲸") and not cjk.is_pair("ab") and not cjk.is_pair("鲸鱼鱼")


def test_new_messages_are_found_through_the_index(tmp_path: Path) -> None:
    with TranscriptStore(tmp_path / "s.db") as store:
        c = store.create_conversation("p", "m", "q")
        store.add_message(c, "user", "蓝鲸是最大的动物吗")
        store.save_reply(c, answered("是的，蓝鲸是地球上最大的动物。"))
        assert [h.role for h in store.search("蓝鲸")] == ["assistant", "user"]
        assert store.search("鲸鱼") == []
        indexed = store.conn.execute("SELECT rowid FROM messages_cjk WHERE messages_cjk MATCH '\"蓝鲸\"'").fetchall()
        assert len(indexed) == 2
        store.delete(c)
        assert store.search("蓝鲸") == []


def test_messages_from_before_the_index_are_found_then_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=5)
    conn.execute("INSERT INTO conversations(title, created_at, updated_at) VALUES ('old', 1, 1)")
    for i in range(450):
        conn.execute("INSERT INTO messages(conversation_id, role, content, created_at, updated_at) "
                     "VALUES (1, 'assistant', ?, 1, 1)", (f"第{i}条：鲸鱼" if i % 100 == 7 else f"message {i}",))
    conn.close()
    with TranscriptStore(path) as store:
        assert cjk.unindexed_below(store.conn) == 451
        assert len(store.search("鲸鱼")) == 5  # by a scan of what is not indexed yet
        store.backfill_pairs(batch=100, pause=0)
        assert cjk.unindexed_below(store.conn) == 0
        hits = store.search("鲸鱼")
        assert [h.message_id for h in hits] == [408, 308, 208, 108, 8]  # newest first, from the index alone
        store.save_reply(1, answered("新的鲸鱼"))
        assert len(store.search("鲸鱼")) == 6
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("鲸鱼数据库 ab")), max_size=12), min_size=1, max_size=8),
       st.sampled_from(["鲸鱼", "数据", "据库", "鱼数"]))
def test_the_index_finds_what_a_scan_finds(tmp_path_factory: object, texts: list[str], word: str) -> None:
    import tempfile

    with TranscriptStore(Path(tempfile.mkdtemp()) / "s.db") as store:
        c = store.create_conversation("p", "m", "q")
        for text in texts:
            store.save_reply(c, answered(text))
        found = {h.message_id for h in store.search(word, limit=100)}
        scanned = {row[1] for row in store._scan(word, 100, False)}
        assert found == scanned
