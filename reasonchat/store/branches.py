"""A conversation as a tree: every message follows a parent (the one before it when it was written), and a
regenerated answer or an edited question is a sibling of the one it replaces on screen — nothing is deleted.
The conversation shows one branch: the path from the first message to its `head`. These are the tree's
walks, on plain id maps, so the store (and its tests) can ask them without SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reasonchat.errors import UsageError
from reasonchat.store.base import StoreBase
from reasonchat.store.rows import _MESSAGE_COLUMNS, ROOT, StoredMessage, _message

if TYPE_CHECKING:
    from reasonchat.core.attachments import Attachment


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


def parents_of(rows: Iterable[tuple[int, int | None]]) -> dict[int, int | None]:
    """Each message's parent from (id, stored parent_id) in id order: ROOT is none; NULL, a message from
    before branches, follows the message before it."""
    parents: dict[int, int | None] = {}
    before: int | None = None
    for node, parent in rows:
        parents[node] = None if parent == ROOT else before if parent is None else parent
        before = node
    return parents


@dataclass(frozen=True)
class Tree:
    """A conversation's messages as a tree, and the head of the branch shown: read once, asked many ways."""

    parents: dict[int, int | None]
    roles: dict[int, str]
    head: int | None

    def shown(self) -> list[int]:
        head = self.head if self.head in self.parents else max(self.parents, default=None)  # lost: the newest
        return path_to(head, self.parents)

    def versions(self) -> dict[int, tuple[int, int]]:
        out = {}
        for node in self.shown():
            same = siblings(node, self.parents, self.roles)
            if len(same) > 1:
                out[node] = (same.index(node) + 1, len(same))
        return out

    def step(self, step: int, at: int | None = None) -> int | None:
        """The next (`step` 1) or previous (-1) version of message `at` of the branch shown, or by default of
        the last message shown that has others; None when it has none."""
        shown = self.shown()
        for node in reversed(shown if at is None else [at] if at in shown else []):
            same = siblings(node, self.parents, self.roles)
            if len(same) > 1:
                return same[(same.index(node) + step) % len(same)]
        return None


class BranchStore(StoreBase):
    """The store's reading and moving of branches: the messages shown, their versions, the head."""

    def _head(self, conversation_id: int) -> int | None:
        row = self._reading().execute("SELECT head_id FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        return row[0] if row else None

    def _tree(self, conversation_id: int) -> Tree:
        rows = self._reading().execute(
            "SELECT id, parent_id, role FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        ).fetchall()
        return Tree(parents_of((i, p) for i, p, _ in rows), {i: r for i, _, r in rows}, self._head(conversation_id))

    def shown(self, conversation_id: int) -> list[int]:
        """The ids of the branch shown, first to last."""
        return self._tree(conversation_id).shown()

    def versions(self, conversation_id: int) -> dict[int, tuple[int, int]]:
        """For each message of the branch shown that has other versions: (its number, how many), from 1."""
        return self._tree(conversation_id).versions()

    def show(self, conversation_id: int, message_id: int, tree: Tree | None = None) -> None:
        """Show the branch through `message_id`: it, and below it always the newest continuation."""
        tree = tree or self._tree(conversation_id)
        if message_id not in tree.parents:
            raise UsageError(f"no message {message_id} in conversation {conversation_id}")
        self.set_head(conversation_id, newest_leaf(message_id, tree.parents))

    def set_head(self, conversation_id: int, message_id: int | None) -> None:
        """The branch shown ends at `message_id` (a regenerate answers the question again from there)."""
        with self._write() as db:
            db.execute("UPDATE conversations SET head_id = ? WHERE id = ?", (message_id, conversation_id))

    def switch(self, conversation_id: int, step: int, at: int | None = None) -> int | None:
        """Show the next (`step` 1) or previous (-1) version of message `at` (by default the last message of
        the branch shown that has others); returns the message now shown there, None when it has no others."""
        tree = self._tree(conversation_id)
        target = tree.step(step, at)
        if target is not None:
            self.show(conversation_id, target, tree)
        return target

    def branches(self, conversation_id: int) -> list[list[int]]:
        """Every branch as its ids, the one shown first, then the others oldest first."""
        tree = self._tree(conversation_id)
        shown = tree.shown()
        others = [path_to(leaf, tree.parents) for leaf in leaves(tree.parents)]
        return [shown, *(p for p in others if p != shown)]

    def messages(self, conversation_id: int) -> list[StoredMessage]:
        """The branch shown, first message to last (what the conversation is, as far as the user sees)."""
        every = self.all_messages(conversation_id)
        tree = Tree({m.id: m.parent_id for m in every}, {m.id: m.role for m in every}, self._head(conversation_id))
        by_id = {m.id: m for m in every}
        return [by_id[i] for i in tree.shown()]

    def all_messages(self, conversation_id: int) -> list[StoredMessage]:
        """Every message of every branch, in the order written, each with the parent it follows."""
        rows = self._reading().execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        ).fetchall()
        messages = [_message(row) for row in rows]
        parents = parents_of((m.id, m.parent_id) for m in messages)
        attached = self._attachments(conversation_id)
        return [replace(m, parent_id=parents[m.id], attachments=attached.get(m.id, ())) for m in messages]

    def image_names(self, conversation_id: int) -> list[str]:
        """The names of the images sent in the conversation (every branch), without reading their bytes."""
        return [row[0] for row in self._reading().execute(
            "SELECT a.name FROM attachments a JOIN messages m ON m.id = a.message_id "
            "WHERE m.conversation_id = ? AND a.kind = 'image' ORDER BY a.id", (conversation_id,))]

    def _attachments(self, conversation_id: int) -> dict[int, tuple[Attachment, ...]]:
        """The files sent with the conversation's messages, by message id, in the order given."""
        from reasonchat.core.attachments import Attachment

        rows = self._reading().execute(
            "SELECT a.message_id, a.name, a.kind, a.mime, a.size, a.sha256, a.text, b.data FROM attachments a "
            "JOIN messages m ON m.id = a.message_id LEFT JOIN blobs b ON b.sha256 = a.sha256 "
            "WHERE m.conversation_id = ? ORDER BY a.message_id, a.position", (conversation_id,)).fetchall()
        out: dict[int, list[Attachment]] = {}
        for message_id, name, kind, mime, size, sha256, text, data in rows:
            out.setdefault(message_id, []).append(Attachment(name, kind, mime, size, sha256, text, data or b""))
        return {k: tuple(v) for k, v in out.items()}

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
