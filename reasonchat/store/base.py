"""The store's file and connections: opening (migrations, recovery of answers a dead process left
streaming), one short write transaction at a time, a reading connection per worker thread, and a
conversation by id. What is stored and how it is asked for is built on this (transcripts, branches, search).

Built to survive the way a terminal program dies: WAL with `synchronous=NORMAL` so each short write
transaction is cheap; a busy timeout so two reasonchat processes can share one file; and on open, rows left
"streaming" by a process that no longer exists are marked interrupted.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

import reasonchat.store.cjk as cjk
from reasonchat import paths
from reasonchat.errors import StoreError, UsageError
from reasonchat.store.migrations import migrate
from reasonchat.store.rows import _SUMMARY, INTERRUPTED_BY_EXIT, ConversationSummary

MEMORY = ":memory:"  # SQLite's name for a private in-memory database

class StoreBase:
    """One SQLite file (or, with `memory=True`, a private in-memory database of the same shape: what the
    TUI falls back to when the file cannot be opened, so a session still works — unsaved — and says so)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, memory: bool = False) -> None:
        self.path = MEMORY if memory else os.fspath(path or paths.store_file())
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        # Writes share one connection; a slow one (deleting a conversation re-indexes its text) runs on a
        # worker thread, so a transaction begun meanwhile on the loop (an answer's flush) waits its turn.
        self._writing = threading.RLock()
        try:
            if not memory:
                paths.ensure_private_dir(Path(self.path).parent)
                if not Path(self.path).exists():
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
        if threading.current_thread() is threading.main_thread() or self.path == MEMORY:
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; failures become a StoreError that names the file."""
        with self._writing:
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

    def require(self, conversation_id: int) -> ConversationSummary:
        row = self._reading().execute(_SUMMARY + " WHERE c.id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise UsageError(f"no conversation {conversation_id} — see `reasonchat history`")
        return ConversationSummary(*row)

    def exists(self, conversation_id: int) -> bool:
        return self.conn.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone() is not None


def _fix(exc: BaseException, path: str) -> str:
    """The remedy to add to a store error, from what SQLite or the OS said went wrong."""
    text = str(exc).lower()
    if "disk is full" in text or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EFBIG):
        return " — free some disk space and try again"
    if isinstance(exc, OSError) or any(word in text for word in ("readonly", "read-only", "unable to open")):
        return f" — make {Path(path).parent} a writable folder, or set REASONCHAT_HOME to another folder"
    if "disk i/o" in text:
        return " — is its disk full or failing? Free some space and try again"
    return ""


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
