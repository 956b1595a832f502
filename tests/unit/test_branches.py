"""Branches in the store: regenerate and edit add versions, nothing is deleted; the branch shown is a path."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reasonchat.store import TranscriptStore
from reasonchat.store import branches as tree
from reasonchat.store.migrations import migrate
from tests.conftest import answered


def test_tree_walks() -> None:
    parents: dict[int, int | None] = {1: None, 2: 1, 3: 1, 4: 3, 5: 2}
    roles = {1: "user", 2: "assistant", 3: "assistant", 4: "user", 5: "user"}
    assert tree.path_to(4, parents) == [1, 3, 4]
    assert tree.newest_leaf(1, parents) == 4  # the newest child at each step
    assert tree.leaves(parents) == [4, 5]
    assert tree.siblings(2, parents, roles) == [2, 3]
    assert tree.path_to(99, parents) == []


def test_regenerate_and_edit_keep_every_version(tmp_path: Path) -> None:
    with TranscriptStore(tmp_path / "s.db") as store:
        c = store.create_conversation("p", "m", "q1")
        q1 = store.add_message(c, "user", "q1")
        a1 = store.save_reply(c, answered("first answer"))
        store.set_head(c, q1)  # regenerate: the answer to come follows the question again
        a2 = store.save_reply(c, answered("second answer"))
        assert [m.content for m in store.messages(c)] == ["q1", "second answer"]
        assert store.versions(c) == {a2: (2, 2)}
        assert store.switch(c, -1) == a1
        assert [m.content for m in store.messages(c)] == ["q1", "first answer"]
        q2 = store.add_message(c, "user", "follow-up on the first")  # continues from the version shown
        assert store.messages(c)[-1].parent_id == a1
        q2b = store.add_message(c, "user", "edited follow-up", after=a1)  # an edit: same parent
        assert store.versions(c) == {a1: (1, 2), q2b: (2, 2)}
        assert store.switch(c, -1) == q2  # the last message that has versions steps
        assert [m.id for m in store.messages(c)] == [q1, a1, q2]
        assert len(store.all_messages(c)) == 5  # nothing was deleted
        assert store.branches(c)[0] == [q1, a1, q2]
        assert sorted(map(tuple, store.branches(c))) == sorted([(q1, a1, q2), (q1, a1, q2b), (q1, a2)])
        store.show(c, a2)  # a search hit in another branch opens on it
        assert [m.id for m in store.messages(c)] == [q1, a2]
        user, last = store.last_exchange(c)
        assert (user and user.id, last and last.id) == (q1, a2)


def test_an_old_store_is_one_branch(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=3)
    conn.execute("INSERT INTO conversations(title, created_at, updated_at) VALUES ('old', 1, 1)")
    for role, text in (("user", "q"), ("assistant", "a"), ("user", "q2"), ("assistant", "a2")):
        conn.execute("INSERT INTO messages(conversation_id, role, content, created_at, updated_at) "
                     "VALUES (1, ?, ?, 1, 1)", (role, text))
    conn.close()
    with TranscriptStore(path) as store:
        shown = store.messages(1)
        assert [m.content for m in shown] == ["q", "a", "q2", "a2"]
        assert [m.parent_id for m in shown] == [None, 1, 2, 3]
        assert store.versions(1) == {}
        assert [h.message_id for h in store.search("q2")] == [3]
        store.save_reply(1, answered("a3"))  # goes on from the end, as before
        assert store.messages(1)[-1].parent_id == 4
