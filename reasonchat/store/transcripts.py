"""`TranscriptStore`: conversations and their messages in SQLite.

Built to survive the way a terminal program dies: WAL with `synchronous=NORMAL` so each short write
transaction is cheap; a busy timeout so two reasonchat processes can share one file; the assistant row
written from its first token and rewritten while it streams (see `writer.ReplyWriter`); and on open, rows
left "streaming" by a process that no longer exists are marked interrupted.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonchat import paths
from reasonchat.errors import StoreError, UsageError
from reasonchat.store import branches as tree
from reasonchat.store import cjk
from reasonchat.store.migrations import migrate

if TYPE_CHECKING:  # the engine's types load only where a reply is saved or rebuilt: `history` reads rows
    from reasonchat.core.reply import Reply

HEAD = object()  # add_message: after the head of the branch shown
ROOT = 0  # parent_id of a first message (NULL: a message from before branches, which follows the one before it)
INTERRUPTED_BY_EXIT = "reasonchat stopped before the answer finished"


@dataclass(frozen=True)
class ConversationSummary:
    id: int
    title: str
    preset: str
    model: str
    created_at: float
    updated_at: float
    message_count: int
    last_status: str | None = None  # of its last answer: complete, stopped, interrupted, error, streaming
    cost: float | None = None  # what its answers cost, where known (kept up to date as answers are saved)
    currency: str | None = None
    settings: str | None = None  # JSON: its role, temperature, max_tokens (see `settings()`)
    compare_id: int | None = None  # one column of a compare: the id of the compare's first conversation

    def own_settings(self) -> dict[str, Any]:
        """`settings` read: {} when it has none (or they cannot be read)."""
        try:
            value = json.loads(self.settings) if self.settings else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: int
    role: str
    content: str
    reasoning: str
    model: str | None
    preset: str | None
    status: str
    finish_reason: str | None
    error: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    reasoning_tokens: int | None
    cached_tokens: int | None
    usage: dict[str, Any] | None
    ttft: float | None
    reasoning_seconds: float | None
    created_at: float
    updated_at: float
    cost: float | None = None  # what it cost when it was written (the price then), in `currency`
    currency: str | None = None
    reasoning_cut: bool = False  # the user stopped the thinking and had the model answer at once
    sent: str | None = None  # what the request said about thinking: "thinking on · effort high"
    parent_id: int | None = None  # the message this one follows (its branch)

    def to_reply(self) -> Reply:
        """The finished `Reply` this assistant message was, to show it exactly like a live one."""
        from reasonchat.core.events import AnswerDelta, ReasoningDelta, Usage
        from reasonchat.core.reply import Reply

        reply = Reply(model=self.model or "", preset=self.preset or "", started=0.0)
        ttft = self.ttft or 0.0
        if self.reasoning:
            reply.apply(ReasoningDelta(self.reasoning), now=ttft)
            reply.reasoning_chunks = self.reasoning_tokens or max(1, round(len(self.reasoning) / 4))
        if self.content:
            reply.apply(AnswerDelta(self.content), now=ttft + (self.reasoning_seconds or 0.0))
        if self.usage is not None:
            reply.usage = Usage.from_raw(self.usage)
        reply.finish_reason, reply.error = self.finish_reason, self.error
        if self.cost is not None and self.currency:
            from reasonchat.core.cost import Cost

            reply.cost = Cost(self.cost, self.currency)
        reply.reasoning_cut, reply.sent = self.reasoning_cut, self.sent or ""
        reply.status = "interrupted" if self.status == "streaming" else self.status  # type: ignore[assignment]
        reply.ended_at = reply.first_token_at
        if reply.reasoning_started_at is not None and self.reasoning_seconds is not None:
            reply.reasoning_ended_at = reply.reasoning_started_at + self.reasoning_seconds
        return reply


@dataclass(frozen=True)
class SearchHit:
    conversation: ConversationSummary
    message_id: int
    role: str
    snippet: str


_SUMMARY = """
    SELECT c.id, c.title, c.preset, c.model, c.created_at, c.updated_at,
           (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id),
           (SELECT m.status FROM messages m WHERE m.conversation_id = c.id AND m.role = 'assistant'
            ORDER BY m.id DESC LIMIT 1),
           c.cost, c.currency, c.settings, c.compare_id
    FROM conversations c
"""


def _title_from(prompt: str) -> str:
    line = " ".join(prompt.split())
    return line if len(line) <= 60 else line[:59] + "…"


class TranscriptStore:
    """One SQLite file (or, with `memory=True`, a private in-memory database of the same shape: what the
    TUI falls back to when the file cannot be opened, so a session still works — unsaved — and says so)."""

    def __init__(self, path: Path | None = None, *, memory: bool = False) -> None:
        self.path = Path(":memory:") if memory else (path or paths.store_file())
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        try:
            if not memory:
                paths.ensure_private_dir(self.path.parent)
                if not self.path.exists():
                    os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self.conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=10000")
            cjk.register(self.conn)  # the pair index's triggers call it
            migrate(self.conn, where=f"the store {self.path}")
            self._recover_orphans()
        except (sqlite3.DatabaseError, OSError) as exc:
            cause = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise StoreError(f"cannot open the store {self.path}: {cause}{_fix(exc, self.path)}") from None

    def close(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for reader in readers:
            reader.close()
        self.conn.close()

    def _reading(self) -> sqlite3.Connection:
        """The connection to read with on this thread. A search runs on a worker thread with a connection
        of its own (WAL lets it read while the UI writes), so a slow query never holds the writer's lock,
        and `interrupt_reads` can end it when a newer query makes it stale."""
        if threading.current_thread() is threading.main_thread() or self.path == Path(":memory:"):
            return self.conn
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA query_only=1")
            self._local.conn = conn
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    def interrupt_reads(self) -> None:
        """End the queries running on reader threads now (they raise sqlite3.OperationalError: interrupted)."""
        with self._readers_lock:
            for reader in self._readers:
                reader.interrupt()

    def __enter__(self) -> TranscriptStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; failures become a StoreError that names the file."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the store {self.path}: {exc}{_fix(exc, self.path)}") from None

    # -- writing ----------------------------------------------------------------------------------------

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
                    **fields: Any) -> int:
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
            "usage_json": json.dumps(usage.raw, sort_keys=True) if usage else None,
            "ttft": reply.ttft,
            "reasoning_seconds": reply.reasoning_seconds,
            "writer_pid": os.getpid() if reply.status == "streaming" else None,
            "cost": reply.cost.amount if reply.cost else None,
            "currency": reply.cost.currency if reply.cost else None,
            "reasoning_cut": int(reply.reasoning_cut),
            "sent": reply.sent or None,
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

    # -- branches ---------------------------------------------------------------------------------------

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
        return tree.path_to(head, parents)

    def versions(self, conversation_id: int) -> dict[int, tuple[int, int]]:
        """For each message of the branch shown that has other versions: (its number, how many), from 1."""
        parents, roles, _ = self._tree(conversation_id)
        out = {}
        for node in self.shown(conversation_id):
            same = tree.siblings(node, parents, roles)
            if len(same) > 1:
                out[node] = (same.index(node) + 1, len(same))
        return out

    def show(self, conversation_id: int, message_id: int) -> None:
        """Show the branch through `message_id`: it, and below it always the newest continuation."""
        parents, _, _ = self._tree(conversation_id)
        if message_id not in parents:
            raise UsageError(f"no message {message_id} in conversation {conversation_id}")
        head = tree.newest_leaf(message_id, parents)
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
            same = tree.siblings(node, parents, roles)
            if len(same) > 1:
                target = same[(same.index(node) + step) % len(same)]
                self.show(conversation_id, target)
                return target
        return None

    def branches(self, conversation_id: int) -> list[list[int]]:
        """Every branch as its ids, the one shown first, then the others oldest first."""
        parents, _, _ = self._tree(conversation_id)
        shown = self.shown(conversation_id)
        others = [tree.path_to(leaf, parents) for leaf in tree.leaves(parents)]
        return [shown, *(p for p in others if p != shown)]

    def delete(self, conversation_id: int) -> None:
        self.require(conversation_id)
        with self._write() as db:
            db.execute("DELETE FROM messages WHERE conversation_id = ?", (conversation_id,))
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def _recover_orphans(self) -> None:
        """Rows still "streaming" whose writer process is gone were cut off by a crash or kill -9."""
        rows = self.conn.execute("SELECT DISTINCT writer_pid FROM messages WHERE status = 'streaming'").fetchall()
        dead = [pid for (pid,) in rows if not _alive(pid)]
        if not dead:
            return
        with self._write() as db:
            for pid in dead:
                db.execute(
                    "UPDATE messages SET status = 'interrupted', error = coalesce(error, ?), writer_pid = NULL "
                    "WHERE status = 'streaming' AND writer_pid IS ?",
                    (INTERRUPTED_BY_EXIT, pid),
                )

    # -- reading ----------------------------------------------------------------------------------------

    def _scan(self, needle: str, limit: int, reasoning: bool, below: int | None = None) -> list[Any]:
        """Messages holding `needle`, by reading them all (what no index answers), newest first; `below`:
        only messages with a smaller id."""
        pattern = _like(needle)
        where = "(content LIKE ? ESCAPE '\\'" + (" OR reasoning LIKE ? ESCAPE '\\')" if reasoning else ")")
        params: tuple[Any, ...] = (pattern, pattern) if reasoning else (pattern,)
        if below is not None:
            where += " AND id < ?"
            params += (below,)
        return self._reading().execute(
            f"SELECT conversation_id, id, role, content, reasoning FROM messages WHERE {where} "
            "AND status != 'streaming' ORDER BY id DESC LIMIT ?", (*params, limit)
        ).fetchall()

    def _search_pair(self, needle: str, limit: int, reasoning: bool) -> list[Any]:
        """A two-character CJK word: the pair index, and a scan of what it does not cover yet."""
        columns = "{content reasoning}" if reasoning else "{content}"
        rows = self._reading().execute(
            "SELECT conversation_id, id, role, content, reasoning FROM messages WHERE id IN "
            "(SELECT rowid FROM messages_cjk WHERE messages_cjk MATCH ? ORDER BY rowid DESC LIMIT ?) "
            "ORDER BY id DESC", (f'{columns} : "{needle}"', limit)
        ).fetchall()
        below = cjk.unindexed_below(self._reading())
        if len(rows) < limit and below > 0:
            rows += self._scan(needle, limit - len(rows), reasoning, below=below)
        return rows

    def backfill_pairs(self, stop: threading.Event | None = None, batch: int = 200, pause: float = 0.02) -> None:
        """Add the messages from before the pair index to it, newest first, a batch at a time on a
        connection of its own (call it on a worker thread: on a store of gigabytes it takes minutes; `stop`
        ends it between two batches, and the next start goes on from there)."""
        if self.path == Path(":memory:"):
            return
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        try:
            cjk.register(conn)
            while not (stop is not None and stop.is_set()) and cjk.backfill(conn, batch) > 0:
                time.sleep(pause)  # let the writer of a streaming answer in between batches
        finally:
            conn.close()

    def require(self, conversation_id: int) -> ConversationSummary:
        row = self._reading().execute(_SUMMARY + " WHERE c.id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise UsageError(f"no conversation {conversation_id} — see `reasonchat history`")
        return ConversationSummary(*row)

    def exists(self, conversation_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone() is not None

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

    def search(self, text: str, *, limit: int = 50, reasoning: bool = False) -> list[SearchHit]:
        """Full-text search over user messages and answers (and reasoning if asked), newest message first.

        The trigram index answers three characters or more; two CJK characters (most Chinese words) go to
        the pair index (store/cjk.py); one character, or two Latin ones, fall back to a plain scan, slower
        but still right.
        """
        needle = " ".join(text.split())
        if not needle:
            return []
        if cjk.is_pair(needle):
            rows = self._search_pair(needle, limit, reasoning)
        elif len(needle) >= 3:
            columns = "{content reasoning}" if reasoning else "{content}"
            query = f'{columns} : "{needle.replace(chr(34), chr(34) * 2)}"'
            # Newest first by message id: FTS5 walks its index in rowid order and stops at the limit,
            # where sorting by a column would first collect every match of a common word.
            rows = self._reading().execute(
                "SELECT conversation_id, id, role, content, reasoning FROM messages WHERE id IN "
                "(SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?) "
                "ORDER BY id DESC", (query, limit)
            ).fetchall()
        else:
            rows = self._scan(needle, limit, reasoning)
        hits = []
        summaries: dict[int, ConversationSummary] = {}
        for conversation_id, message_id, role, content, reasoning_text in rows:
            if conversation_id not in summaries:
                summaries[conversation_id] = self.require(conversation_id)
            found = content if needle.lower() in content.lower() or not reasoning else reasoning_text
            hits.append(SearchHit(summaries[conversation_id], message_id, role, _snippet(found, needle)))
        return hits


def _like(needle: str) -> str:
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _settings_json(settings: dict[str, Any] | None) -> str | None:
    kept = {k: v for k, v in (settings or {}).items() if v is not None and v != ""}
    return json.dumps(kept, sort_keys=True) if kept else None


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


_MESSAGE_COLUMNS = (
    "id, conversation_id, role, content, reasoning, model, preset, status, finish_reason, error, prompt_tokens,"
    " completion_tokens, reasoning_tokens, cached_tokens, usage_json, ttft, reasoning_seconds, created_at, updated_at,"
    " cost, currency, reasoning_cut, sent, parent_id"
)


def _message(row: tuple[Any, ...]) -> StoredMessage:
    values = list(row)
    values[14] = json.loads(values[14]) if values[14] else None
    values[21] = bool(values[21])
    return StoredMessage(*values)


def _fix(exc: BaseException, path: Path) -> str:
    """The remedy to add to a store error, from what SQLite or the OS said went wrong."""
    text = str(exc).lower()
    if "disk is full" in text or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EFBIG):
        return " — free some disk space and try again"
    if isinstance(exc, OSError) or any(word in text for word in ("readonly", "read-only", "unable to open")):
        return f" — make {path.parent} a writable folder, or set REASONCHAT_HOME to another folder"
    if "disk i/o" in text:
        return " — is its disk full or failing? Free some space and try again"
    return ""


def _snippet(text: str, needle: str, width: int = 40) -> str:
    """The hit with some context either side, marked with [brackets], on one line."""
    at = text.lower().find(needle.lower())
    if at < 0:
        return " ".join(text[: width * 2].split())
    start, end = max(0, at - width), min(len(text), at + len(needle) + width)
    found = text[at : at + len(needle)]
    around = ("…" if start else "") + text[start:at] + "[" + found + "]" + text[at + len(needle) : end]
    return " ".join((around + ("…" if end < len(text) else "")).split())


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
