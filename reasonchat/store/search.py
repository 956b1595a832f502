"""Search: the trigram index for three characters or more, the CJK pair index for two-character words
(store/cjk.py), a scan for what neither answers; newest message first."""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

import reasonchat.store.cjk as cjk
from reasonchat.store.base import MEMORY, StoreBase
from reasonchat.store.rows import ConversationSummary, SearchHit


class SearchStore(StoreBase):
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
        rows = self._with_tool_rounds(rows, needle, limit)
        rows = self._with_attachments(rows, needle, limit)
        hits = []
        summaries: dict[int, ConversationSummary] = {}
        for conversation_id, message_id, role, content, reasoning_text, *rest in rows:
            rounds = rest[0] if rest else None
            if conversation_id not in summaries:
                summaries[conversation_id] = self.require(conversation_id)
            found = content if needle.lower() in content.lower() or not reasoning else reasoning_text
            if needle.lower() not in found.lower() and rounds:
                found = _rounds_text(rounds)
            hits.append(SearchHit(summaries[conversation_id], message_id, role, _snippet(found, needle)))
        return hits

    def _with_tool_rounds(self, rows: list[Any], needle: str, limit: int) -> list[Any]:
        """`rows`, and answers whose tool rounds (calls, arguments, results, the reasoning between) hold
        `needle`: read through the partial index of the answers that called tools."""
        found = self._reading().execute(
            "SELECT conversation_id, id, role, content, reasoning, rounds_json FROM messages "
            "WHERE rounds_json IS NOT NULL AND rounds_json LIKE ? ESCAPE '\\' AND status != 'streaming' "
            "ORDER BY id DESC LIMIT ?", (_like(needle), limit)).fetchall()
        return _merged(rows, [row for row in found if needle.lower() in _rounds_text(row[5]).lower()], limit)

    def _with_attachments(self, rows: list[Any], needle: str, limit: int) -> list[Any]:
        """`rows`, and the messages whose attached text files hold `needle` (the hit shows the file's text)."""
        found = self._reading().execute(
            "SELECT m.conversation_id, m.id, m.role, a.text, m.reasoning FROM attachments a "
            "JOIN messages m ON m.id = a.message_id WHERE a.kind = 'text' AND a.text LIKE ? ESCAPE '\\' "
            "ORDER BY m.id DESC LIMIT ?", (_like(needle), limit)).fetchall()
        return _merged(rows, found, limit)

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
        if self.path == MEMORY:
            return
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        try:
            cjk.register(conn)
            while not (stop is not None and stop.is_set()) and cjk.backfill(conn, batch) > 0:
                time.sleep(pause)  # let the writer of a streaming answer in between batches
        finally:
            conn.close()


def _merged(rows: list[Any], more: list[Any], limit: int) -> list[Any]:
    """`rows` and `more` (the row a message already has wins), newest message first, at most `limit`."""
    if not more:
        return rows
    merged = {row[1]: row for row in rows}
    for row in more:
        merged.setdefault(row[1], row)
    return [merged[i] for i in sorted(merged, reverse=True)[:limit]]


def _rounds_text(rounds_json: str) -> str:
    """What a person reads of an answer's tool rounds, to find a word in (JSON escapes undone)."""
    from reasonchat.core.tool_calls import loads

    parts = []
    for done in loads(rounds_json):
        parts += [done.reasoning, done.content]
        for call in done.calls:
            parts += [call.tool or call.call.name, call.call.arguments, call.result]
    return "\n".join(p for p in parts if p)


def _like(needle: str) -> str:
    return "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _snippet(text: str, needle: str, width: int = 40) -> str:
    """The hit with some context either side, marked with [brackets], on one line."""
    at = text.lower().find(needle.lower())
    if at < 0:
        return " ".join(text[: width * 2].split())
    start, end = max(0, at - width), min(len(text), at + len(needle) + width)
    found = text[at : at + len(needle)]
    around = ("…" if start else "") + text[start:at] + "[" + found + "]" + text[at + len(needle) : end]
    return " ".join((around + ("…" if end < len(text) else "")).split())
