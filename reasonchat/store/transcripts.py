"""`TranscriptStore`: conversations and their messages in SQLite — what is written (conversations,
messages, replies as they stream — see `writer.ReplyWriter`), listed and linked. Opening the file and its
connections: base.py; branches: branches.py; search: search.py; the rows handed out: rows.py.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reasonchat.store.branches import BranchStore
from reasonchat.store.rows import (
    _SUMMARY,
    HEAD,
    INTERRUPTED_BY_EXIT,
    ROOT,
    ConversationSummary,
    Listing,
    SearchHit,
    StoredMessage,
)
from reasonchat.store.search import SearchStore

if TYPE_CHECKING:
    from reasonchat.core.attachments import Attachment
    from reasonchat.core.reply import Reply

__all__ = ["HEAD", "INTERRUPTED_BY_EXIT", "ROOT", "ConversationSummary", "Listing", "SearchHit", "StoredMessage",
           "TranscriptStore"]


def _title_from(prompt: str) -> str:
    line = " ".join(prompt.split())
    return line if len(line) <= 60 else line[:59] + "…"


class TranscriptStore(BranchStore, SearchStore):
    """Conversations and messages: what a chat, `ask` and a compare write, and what history lists."""

    def create_conversation(self, preset: str, model: str, title: str = "",
                            settings: dict[str, Any] | None = None) -> int:
        now = time.time()
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO conversations(title, preset, model, created_at, updated_at, settings) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_title_from(title), preset, model, now, now, _settings_json(settings)),
            )
        return int(cur.lastrowid or 0)

    def settings(self, conversation_id: int) -> dict[str, Any]:
        """The conversation's own settings (role, temperature, max_tokens); {} when it has none."""
        return self.require(conversation_id).own_settings()

    def set_settings(self, conversation_id: int, settings: dict[str, Any]) -> None:
        with self._write() as db:
            db.execute("UPDATE conversations SET settings = ? WHERE id = ?",
                       (_settings_json(settings), conversation_id))

    def add_message(self, conversation_id: int, role: str, content: str, *, after: int | object | None = HEAD,
                    attachments: Sequence[Attachment] = (), **fields: Any) -> int:
        """Append a message to the branch shown (after its head), or, with `after`, after another message: a
        new version of a message is written after that message's parent (`after=None`: a first message).
        The conversation then shows the branch that ends with it."""
        now = time.time()
        columns = {"conversation_id": conversation_id, "role": role, "content": content,
                   "created_at": now, "updated_at": now, **fields}
        names = ", ".join([*columns, "parent_id"])
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        with self._write() as db:
            parent = after
            if parent is HEAD:
                head = db.execute("SELECT coalesce(head_id, (SELECT max(id) FROM messages WHERE conversation_id = ?))"
                                  " FROM conversations WHERE id = ?", (conversation_id, conversation_id)).fetchone()
                parent = head[0] if head else None
            parent = ROOT if parent is None else parent
            cur = db.execute(f"INSERT INTO messages({names}) VALUES ({marks})", (*columns.values(), parent))
            db.execute("UPDATE conversations SET updated_at = ?, head_id = ? WHERE id = ?",
                       (now, cur.lastrowid, conversation_id))
            if role == "user":
                db.execute(
                    "UPDATE conversations SET title = ? WHERE id = ? AND title = '' AND title_set = 0",
                    (_title_from(content), conversation_id),
                )
            for position, attached in enumerate(attachments):
                if attached.kind == "image":
                    db.execute("INSERT OR IGNORE INTO blobs(sha256, data) VALUES (?, ?)",
                               (attached.sha256, attached.data))
                db.execute("INSERT INTO attachments(message_id, position, name, kind, mime, size, sha256, text) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (cur.lastrowid, position, attached.name, attached.kind,
                                                               attached.mime, attached.size, attached.sha256,
                                                               attached.text))
        return int(cur.lastrowid or 0)

    def save_reply(self, conversation_id: int, reply: Reply, message_id: int | None = None) -> int:
        """Insert (message_id None) or rewrite the assistant row for `reply` as it stands now."""
        usage = reply.usage
        fields: dict[str, Any] = {
            "content": reply.content,
            "reasoning": reply.reasoning,
            "model": reply.model,
            "preset": reply.preset,
            "status": reply.status,
            "finish_reason": reply.finish_reason,
            "error": reply.error,
            "prompt_tokens": usage.prompt_tokens if usage else None,
            "completion_tokens": usage.completion_tokens if usage else None,
            # after a cut the usage is the answer's request alone: the reasoning's count is unknown, not 0
            "reasoning_tokens": usage.reasoning_tokens if usage and not reply.reasoning_cut else None,
            "cached_tokens": usage.cached_tokens if usage else None,
            "usage_json": _json(usage.raw) if usage else None,
            "ttft": reply.ttft,
            "reasoning_seconds": reply.reasoning_seconds,
            "writer_pid": os.getpid() if reply.status == "streaming" else None,
            "cost": reply.cost.amount if reply.cost else None,
            "currency": reply.cost.currency if reply.cost else None,
            "reasoning_cut": int(reply.reasoning_cut),
            "sent": reply.sent or None,
            "reasoning_estimate": reply.reasoning_chunks or None,
            **_rounds(reply),
        }
        if message_id is None:
            message_id = self.add_message(conversation_id, "assistant", **fields)
            if reply.cost is not None:
                with self._write() as db:
                    _recost(db, conversation_id)
            return message_id
        now = time.time()
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._write() as db:
            db.execute(f"UPDATE messages SET {assignments}, updated_at = ? WHERE id = ?",
                       (*fields.values(), now, message_id))
            db.execute("UPDATE conversations SET updated_at = ?, model = ? WHERE id = ?",
                       (now, reply.model, conversation_id))
            if reply.cost is not None:
                _recost(db, conversation_id)
        return message_id

    def rename(self, conversation_id: int, title: str) -> None:
        self.require(conversation_id)
        with self._write() as db:
            db.execute("UPDATE conversations SET title = ?, title_set = 1 WHERE id = ?",
                       (" ".join(title.split()), conversation_id))

    def delete(self, conversation_id: int) -> None:
        self.require(conversation_id)
        with self._write() as db:
            db.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
            db.execute("DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM attachments)")

    def last_conversation_id(self) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM conversations ORDER BY updated_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return int(row[0]) if row else None

    def list_conversations(self, limit: int = 50, offset: int = 0) -> list[ConversationSummary]:
        """Newest first; a compare is one entry, its first conversation still there (`compare_members` has
        the rest)."""
        rows = self._reading().execute(
            _SUMMARY + " WHERE c.compare_id IS NULL OR c.id = (SELECT min(m.id) FROM conversations m"
            " WHERE m.compare_id = c.compare_id)"
            " ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?", (limit, offset)
        ).fetchall()
        return [ConversationSummary(*row) for row in rows]

    def listing(self, limit: int = 50, offset: int = 0) -> list[Listing]:
        """`list_conversations` as history shows them: each with its counts and a compare's cost (`listed`)."""
        return [self.listed(c) for c in self.list_conversations(limit, offset)]

    def listed(self, conversation: ConversationSummary) -> Listing:
        """`conversation` with the messages its branch shows and all its versions; a compare with its columns
        and the cost of them all (None when a column's cost is unknown in another currency)."""
        columns = tuple(self.compare_members(conversation.compare_id)) if conversation.compare_id else ()
        shown = messages = 0
        for one in columns or (conversation,):
            tree = self._tree(one.id)
            shown += len(tree.shown())
            messages += len(tree.parents)
        cost, currency = conversation.cost, conversation.currency
        if columns:
            costs = [(c.cost, c.currency) for c in columns if c.cost is not None]
            currencies = {c for _, c in costs}
            cost = sum(amount for amount, _ in costs if amount is not None) if costs else None
            currency = currencies.pop() if len(currencies) == 1 else None
            if currency is None:
                cost = None
        return Listing(conversation, shown, messages, columns, cost, currency)

    def link_compare(self, conversation_ids: list[int]) -> None:
        """These conversations are the columns of one compare (in this order: by id)."""
        if len(conversation_ids) < 2:
            return
        first = min(conversation_ids)
        with self._write() as db:
            db.executemany("UPDATE conversations SET compare_id = ? WHERE id = ?",
                           [(first, i) for i in conversation_ids])

    def compare_members(self, compare_id: int) -> list[ConversationSummary]:
        """The columns of a compare, in order."""
        rows = self._reading().execute(_SUMMARY + " WHERE c.compare_id = ? ORDER BY c.id", (compare_id,)).fetchall()
        return [ConversationSummary(*row) for row in rows]


def _rounds(reply: Reply) -> dict[str, Any]:
    """An answer's tool rounds, and its own text: a round stopped with its calls is a round too, and then there
    is no final text."""
    from reasonchat.core.tool_calls import Round, dumps

    if not reply.calls:
        return {"rounds_json": dumps(reply.rounds)}
    current = Round(reply.reasoning, reply.content, reply.calls, reply.reasoning_seconds, reply.reasoning_chunks)
    return {"rounds_json": dumps([*reply.rounds, current]), "content": "", "reasoning": ""}


def _settings_json(settings: dict[str, Any] | None) -> str | None:
    kept = {k: v for k, v in (settings or {}).items() if v is not None and v != ""}
    return _json(kept) if kept else None


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True)


def _recost(db: sqlite3.Connection, conversation_id: int) -> None:
    """The conversation's cost as the sum of its answers' (in the currency of the latest priced one; answers
    priced in another currency, after a switch of provider, are left out rather than added as if equal)."""
    db.execute(
        """UPDATE conversations SET
               currency = (SELECT currency FROM messages WHERE conversation_id = :c AND cost IS NOT NULL
                           ORDER BY id DESC LIMIT 1),
               cost = (SELECT sum(cost) FROM messages WHERE conversation_id = :c AND cost IS NOT NULL
                       AND currency = (SELECT currency FROM messages WHERE conversation_id = :c AND cost IS NOT NULL
                                       ORDER BY id DESC LIMIT 1))
           WHERE id = :c""", {"c": conversation_id})
