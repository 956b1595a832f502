"""Two-character Chinese (and Japanese, Korean) words in search: 数据, 鲸鱼, 索引.

The full-text index is a trigram index: it finds any substring of three characters or more, but a
two-character word — most Chinese words — fell back to scanning every message (seconds on a large
store). A second index holds, for the CJK runs of each message only, their overlapping pairs of
characters as words ("鲸鱼很大" → "鲸鱼 鱼很 很大"), so a two-character query is one index lookup.

SQLite computes the pairs through `cjk_pairs`, a function every connection that writes messages
registers (`register`), called by the triggers that keep the index. Messages from before the index are
added in the background, newest first (`backfill`), and until then a search also scans what is not yet
indexed: always complete, fast as soon as the index covers the store.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache

_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"


@cache
def _pattern(source: str) -> re.Pattern[str]:
    """Compiled when first used: every opening of the store loads this module, few ask it anything."""
    return re.compile(source)


def pairs(text: str | None) -> str:
    """The overlapping character pairs of the CJK runs of `text`, space-separated."""
    if not text:
        return ""
    out: list[str] = []
    for run in _pattern(_CJK + "+").findall(text):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(out)


def is_pair(query: str) -> bool:
    """A query the pair index answers: exactly two CJK characters."""
    return bool(_pattern(f"^{_CJK}{{2}}$").match(query))


def register(conn: sqlite3.Connection) -> None:
    conn.create_function("cjk_pairs", 1, pairs, deterministic=True)


def backfill(conn: sqlite3.Connection, batch: int = 200) -> int:
    """Index the next `batch` messages from before the index (newest first); returns how many remain."""
    row = conn.execute("SELECT value FROM store_meta WHERE key = 'cjk_backfill_below'").fetchone()
    below = int(row[0]) if row else 0
    if below <= 0:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = conn.execute(
            "SELECT id, content, reasoning FROM messages WHERE id < ? AND status != 'streaming' "
            "ORDER BY id DESC LIMIT ?", (below, batch)).fetchall()
        conn.executemany("INSERT INTO messages_cjk(rowid, content, reasoning) VALUES (?, ?, ?)",
                         [(i, pairs(c), pairs(r)) for i, c, r in rows])
        lowest = rows[-1][0] if rows else 0
        left = conn.execute("SELECT count(*) FROM messages WHERE id < ?", (lowest,)).fetchone()[0] if lowest else 0
        conn.execute("UPDATE store_meta SET value = ? WHERE key = 'cjk_backfill_below'", (lowest if left else 0,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return int(left)


def unindexed_below(conn: sqlite3.Connection) -> int:
    """Messages with an id below this are not in the pair index yet (0: all are)."""
    row = conn.execute("SELECT value FROM store_meta WHERE key = 'cjk_backfill_below'").fetchone()
    return int(row[0]) if row else 0
