"""Ordered schema migrations, recorded in the database itself.

Append a new step to `MIGRATIONS`; never edit one that has shipped. `migrate` applies the missing steps in
order inside one transaction each, and refuses a database from a newer reasonchat rather than guess at it.
"""

from __future__ import annotations

import sqlite3
import time

from reasonchat.errors import StoreError

MIGRATIONS: list[tuple[str, str]] = [
    (
        "conversations and messages",
        """
        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL DEFAULT '',
            title_set INTEGER NOT NULL DEFAULT 0,
            preset TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX conversations_by_update ON conversations(updated_at DESC, id DESC);
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            reasoning TEXT NOT NULL DEFAULT '',
            model TEXT,
            preset TEXT,
            status TEXT NOT NULL DEFAULT 'complete',
            finish_reason TEXT,
            error TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            reasoning_tokens INTEGER,
            cached_tokens INTEGER,
            usage_json TEXT,
            ttft REAL,
            reasoning_seconds REAL,
            writer_pid INTEGER,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
        CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';
        """,
    ),
    (
        "full-text search (trigram: works for Chinese and for substrings)",
        """
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            content, reasoning, content='messages', content_rowid='id', tokenize='trigram'
        );
        INSERT INTO messages_fts(rowid, content, reasoning)
            SELECT id, content, reasoning FROM messages WHERE status != 'streaming';
        -- Only settled messages are indexed: re-indexing an answer on every flush while it streams
        -- would cost far more than it is worth.
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.status != 'streaming' BEGIN
            INSERT INTO messages_fts(rowid, content, reasoning) VALUES (new.id, new.content, new.reasoning);
        END;
        CREATE TRIGGER messages_fts_unindex AFTER UPDATE ON messages WHEN old.status != 'streaming' BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, content, reasoning)
                VALUES ('delete', old.id, old.content, old.reasoning);
        END;
        CREATE TRIGGER messages_fts_reindex AFTER UPDATE ON messages WHEN new.status != 'streaming' BEGIN
            INSERT INTO messages_fts(rowid, content, reasoning) VALUES (new.id, new.content, new.reasoning);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.status != 'streaming' BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, content, reasoning)
                VALUES ('delete', old.id, old.content, old.reasoning);
        END;
        """,
    ),
    (
        "what an answer cost and how it thought; a conversation's own settings",
        """
        ALTER TABLE messages ADD COLUMN cost REAL;
        ALTER TABLE messages ADD COLUMN currency TEXT;
        ALTER TABLE messages ADD COLUMN reasoning_cut INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE messages ADD COLUMN sent TEXT;
        ALTER TABLE conversations ADD COLUMN settings TEXT;
        ALTER TABLE conversations ADD COLUMN cost REAL;
        ALTER TABLE conversations ADD COLUMN currency TEXT;
        """,
    ),
    (
        "branches: each message follows a parent, a conversation shows the branch ending at its head",
        """
        -- The index follows only the text: a message's other columns (cost, its parent) change without
        -- re-indexing it (re-indexing every row here would take minutes on a large store).
        DROP TRIGGER messages_fts_unindex;
        DROP TRIGGER messages_fts_reindex;
        CREATE TRIGGER messages_fts_unindex AFTER UPDATE OF content, reasoning, status ON messages
            WHEN old.status != 'streaming' BEGIN
            INSERT INTO messages_fts(messages_fts, rowid, content, reasoning)
                VALUES ('delete', old.id, old.content, old.reasoning);
        END;
        CREATE TRIGGER messages_fts_reindex AFTER UPDATE OF content, reasoning, status ON messages
            WHEN new.status != 'streaming' BEGIN
            INSERT INTO messages_fts(rowid, content, reasoning) VALUES (new.id, new.content, new.reasoning);
        END;
        -- parent_id NULL is a message from before branches: it follows the message before it (by id) in its
        -- conversation, which is what it did. No row is rewritten: on a store of gigabytes an UPDATE of every
        -- message would take minutes and double the file while it ran. A first message written from now on
        -- has parent_id 0; head_id NULL shows the newest message.
        ALTER TABLE messages ADD COLUMN parent_id INTEGER;
        ALTER TABLE conversations ADD COLUMN head_id INTEGER;
        """,
    ),
    (
        "compares: the conversations of one compare are linked by the id of its first",
        """
        ALTER TABLE conversations ADD COLUMN compare_id INTEGER;
        CREATE INDEX conversations_by_compare ON conversations(compare_id) WHERE compare_id IS NOT NULL;
        """,
    ),
    (
        "two-character CJK words: an index of the character pairs of each message's CJK runs (store/cjk.py)",
        """
        CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value);
        CREATE VIRTUAL TABLE messages_cjk USING fts5(content, reasoning, content='', tokenize='unicode61');
        -- Messages already there are indexed in the background, newest first (cjk.backfill): those below this
        -- id are not in the index yet. The triggers keep the rest, and only touch what is in it.
        INSERT INTO store_meta(key, value) SELECT 'cjk_backfill_below', coalesce(max(id), 0) + 1 FROM messages;
        CREATE TRIGGER messages_cjk_insert AFTER INSERT ON messages WHEN new.status != 'streaming' BEGIN
            INSERT INTO messages_cjk(rowid, content, reasoning)
                VALUES (new.id, cjk_pairs(new.content), cjk_pairs(new.reasoning));
        END;
        CREATE TRIGGER messages_cjk_unindex AFTER UPDATE OF content, reasoning, status ON messages
            WHEN old.status != 'streaming'
             AND old.id >= (SELECT value FROM store_meta WHERE key = 'cjk_backfill_below') BEGIN
            INSERT INTO messages_cjk(messages_cjk, rowid, content, reasoning)
                VALUES ('delete', old.id, cjk_pairs(old.content), cjk_pairs(old.reasoning));
        END;
        CREATE TRIGGER messages_cjk_reindex AFTER UPDATE OF content, reasoning, status ON messages
            WHEN new.status != 'streaming'
             AND new.id >= (SELECT value FROM store_meta WHERE key = 'cjk_backfill_below') BEGIN
            INSERT INTO messages_cjk(rowid, content, reasoning)
                VALUES (new.id, cjk_pairs(new.content), cjk_pairs(new.reasoning));
        END;
        CREATE TRIGGER messages_cjk_delete AFTER DELETE ON messages
            WHEN old.status != 'streaming'
             AND old.id >= (SELECT value FROM store_meta WHERE key = 'cjk_backfill_below') BEGIN
            INSERT INTO messages_cjk(messages_cjk, rowid, content, reasoning)
                VALUES ('delete', old.id, cjk_pairs(old.content), cjk_pairs(old.reasoning));
        END;
        """,
    ),
    (
        "each text's outline (its code blocks and headings), so an export parses no Markdown (outline.py)",
        """
        -- NULL for the messages already there: an export finds their outline by parsing them, as it did.
        ALTER TABLE messages ADD COLUMN content_outline TEXT;
        ALTER TABLE messages ADD COLUMN reasoning_outline TEXT;
        """,
    ),
    (
        "no stored outlines (an export parses what it exports); the reasoning's live token count kept",
        """
        -- Each DROP COLUMN rewrites the table once (~1 s for 100k messages); nothing reads them any more.
        ALTER TABLE messages DROP COLUMN content_outline;
        ALTER TABLE messages DROP COLUMN reasoning_outline;
        -- The reasoning's token count as the live answer showed it (its chunks) where the provider sent none:
        -- reopened, exported and listed, the same number. NULL for older messages: estimated from the text.
        ALTER TABLE messages ADD COLUMN reasoning_estimate INTEGER;
        """,
    ),
    (
        "tool calls: an answer's rounds of calls and results before its final text (core/tool_calls.py)",
        """
        -- JSON, NULL for an answer that called no tool (every message before this schema). Adding a column
        -- rewrites nothing, so this is instant on any store.
        ALTER TABLE messages ADD COLUMN rounds_json TEXT;
        -- Search reads the few answers that called tools through this (an index of those rows only).
        CREATE INDEX messages_with_tools ON messages(id) WHERE rounds_json IS NOT NULL;
        """,
    ),
    (
        "attachments: the files sent with a message, images' bytes kept once by their hash (core/attachments.py)",
        """
        CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,          -- text | image
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '' -- a text file's text (an image's bytes are in blobs)
        );
        CREATE INDEX attachments_by_message ON attachments(message_id, position);
        """,
    ),
]

LATEST = len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, target: int = LATEST, where: str = "the store") -> int:
    """Bring the schema up to `target`; returns the version it started from."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at REAL)"
    )
    start = current_version(conn)
    if start > LATEST:
        raise StoreError(
            f"{where} was written by a newer reasonchat (schema {start}, this one knows {LATEST}) — "
            "upgrade reasonchat; the store was left untouched"
        )
    for version in range(start + 1, target + 1):
        name, script = MIGRATIONS[version - 1]
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) >= version:  # another process got here first
                conn.execute("COMMIT")
                continue
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, time.time()),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return start


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies (which contain `;`) whole."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out
