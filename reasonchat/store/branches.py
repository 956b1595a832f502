"""A conversation as a tree: every message follows a parent (the one before it when it was written), and a
regenerated answer or an edited question is a sibling of the one it replaces on screen — nothing is deleted.
The conversation shows one branch: the path from the first message to its `head`. These are the tree's
walks, on plain id maps, so the store (and its tests) can ask them without SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from reasonchat.errors import UsageError
from reasonchat.store.base import StoreBase
from reasonchat.store.rows import _MESSAGE_COLUMNS, ROOT, StoredMessage, _message


def path_to(head: int | None, parents: Mapping[int, int | None]) -> list[int]:
    """The ids from the first message down to `head`, in order."""
    out: list[int] = []
    seen: set[int] = set()
    node = head
    while node is not None and node in parents and node not in seen:
        seen.add(node)
        out.append(node)
        node = parents[node]
    return out[::-1]


def children(parents: Mapping[int, int | None]) -> dict[int | None, list[int]]:
    """Each message's children in the order they were written (None: the conversation's first messages)."""
    out: dict[int | None, list[int]] = {}
    for node in sorted(parents):
        out.setdefault(parents[node], []).append(node)
    return out


def newest_leaf(start: int, parents: Mapping[int, int | None]) -> int:
    """Down from `start`, always to the newest child: where that branch was left (a version switched to
    shows its latest continuation)."""
    below = children(parents)
    node = start
    while below.get(node):
        node = below[node][-1]
    return node


def leaves(parents: Mapping[int, int | None]) -> list[int]:
    """The end of every branch, oldest first."""
    below = children(parents)
    return [node for node in sorted(parents) if not below.get(node)]


def siblings(node: int, parents: Mapping[int, int | None], roles: Mapping[int, str]) -> list[int]:
    """`node` and the other versions of it: same parent, same role, in the order written."""
    parent = parents.get(node)
    return [n for n in children(parents).get(parent, []) if roles.get(n) == roles.get(node)]


class BranchStore(StoreBase):
    """The store's reading and moving of branches: the messages shown, their versions, the head."""

    def _tree(self, conversation_id: int) -> tuple[dict[int, int | None], dict[int, str], int | None]:
        rows = self._reading().execute(
            "SELECT id, parent_id, role FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        ).fetchall()
        head = self._reading().execute("SELECT head_id FROM conversations WHERE id = ?",
                                        (conversation_id,)).fetchone()
        parents: dict[int, int | None] = {}
        before: int | None = None
        for node, parent, _ in rows:
            parents[node] = None if parent == ROOT else before if parent is None else parent
            before = node
        return parents, {i: r for i, _, r in rows}, (head[0] if head else None)

    def shown(self, conversation_id: int) -> list[int]:
        """The ids of the branch shown, first to last."""
        parents, _, head = self._tree(conversation_id)
        if head not in parents:  # a head lost to a delete: the newest message
            head = max(parents, default=None)
        return path_to(head, parents)

    def versions(self, conversation_id: int) -> dict[int, tuple[int, int]]:
        """For each message of the branch shown that has other versions: (its number, how many), from 1."""
        parents, roles, _ = self._tree(conversation_id)
        out = {}
        for node in self.shown(conversation_id):
            same = siblings(node, parents, roles)
            if len(same) > 1:
                out[node] = (same.index(node) + 1, len(same))
        return out

    def show(self, conversation_id: int, message_id: int) -> None:
        """Show the branch through `message_id`: it, and below it always the newest continuation."""
        parents, _, _ = self._tree(conversation_id)
        if message_id not in parents:
            raise UsageError(f"no message {message_id} in conversation {conversation_id}")
        head = newest_leaf(message_id, parents)
        with self._write() as db:
            db.execute("UPDATE conversations SET head_id = ? WHERE id = ?", (head, conversation_id))

    def set_head(self, conversation_id: int, message_id: int | None) -> None:
        """The branch shown ends at `message_id` (a regenerate answers the question again from there)."""
        with self._write() as db:
            db.execute("UPDATE conversations SET head_id = ? WHERE id = ?", (message_id, conversation_id))

    def switch(self, conversation_id: int, step: int) -> int | None:
        """Show the next (`step` 1) or previous (-1) version of the last message of the branch shown that has
        others; returns the message now shown there, None when no message has other versions."""
        parents, roles, _ = self._tree(conversation_id)
        shown = self.shown(conversation_id)
        for node in reversed(shown):
            same = siblings(node, parents, roles)
            if len(same) > 1:
                target = same[(same.index(node) + step) % len(same)]
                self.show(conversation_id, target)
                return target
        return None

    def branches(self, conversation_id: int) -> list[list[int]]:
        """Every branch as its ids, the one shown first, then the others oldest first."""
        parents, _, _ = self._tree(conversation_id)
        shown = self.shown(conversation_id)
        others = [path_to(leaf, parents) for leaf in leaves(parents)]
        return [shown, *(p for p in others if p != shown)]

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        """The branch shown, first message to last (what the conversation is, as far as the user sees)."""
        wanted = self.shown(conversation_id)
        by_id = {m.id: m for m in self.all_messages(conversation_id)}
        return [by_id[i] for i in wanted if i in by_id]

    def all_messages(self, conversation_id: int) -> list[StoredMessage]:
        """Every message of every branch, in the order written."""
        rows = self._reading().execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        ).fetchall()
        out, before = [], None
        for row in rows:  # the parent each message follows, read as `_tree` reads it
            message = _message(row)
            parent = None if message.parent_id == ROOT else before if message.parent_id is None else message.parent_id
            out.append(replace(message, parent_id=parent))
            before = message.id
        return out

    def last_exchange(self, conversation_id: int) -> tuple[StoredMessage | None, StoredMessage | None]:
        """(the last user message of the branch shown, the answer after it if any): what edit and regenerate
        act on."""
        shown = self.messages(conversation_id)
        users = [i for i, m in enumerate(shown) if m.role == "user"]
        if not users:
            return None, None
        user = shown[users[-1]]
        answer = next((m for m in shown[users[-1] + 1:] if m.role == "assistant"), None)
        return user, answer
