"""P7: the store at 10,000 conversations / 500,000 messages.

Prints: listing the newest 50 conversations, opening one of 200 messages, and a full-text query
(targets <= 100 ms, <= 100 ms, <= 50 ms). The store is filled once with bulk inserts through the real
schema (migrations, FTS triggers) and cached under the system temp dir, so a second run starts at once.

    python -m benchmarks.store_scale [--fresh]
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sized
from pathlib import Path

from reasonchat.store import TranscriptStore

CONVERSATIONS = 10_000
MESSAGES = 500_000
BIG = 200  # messages in the conversation we open
WORDS = [
    "stream", "reasoning", "token", "answer", "model", "provider", "latency", "cache", "index", "query", "table",
    "render", "markdown", "terminal", "config", "preset", "thinking", "budget",
    "推理", "模型", "数据库", "索引", "查询", "缓存", "回答", "思考",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def fill(path: Path, conversations: int = CONVERSATIONS, messages: int = MESSAGES, big: int = BIG) -> None:
    """`conversations` holding `messages` in all, the first `big` of them long, and one needle in the middle."""
    rng = random.Random(7)
    store = TranscriptStore(path)
    db = store.conn
    now = time.time() - 86400 * 365
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO conversations(id, title, preset, model, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(i, f"conversation {i}: {sentence(rng, 4)}", "deepseek", "deepseek-v4-flash", now + i * 60, now + i * 60)
         for i in range(1, conversations + 1)],
    )
    per, extra = divmod(messages - big - 1, conversations - 1)
    rows = []
    counts = {1: big} | {i: per + (1 if i - 2 < extra else 0) for i in range(2, conversations + 1)}
    for conversation, count in counts.items():
        for k in range(count):
            assistant = k % 2 == 1
            rows.append((conversation, "assistant" if assistant else "user", sentence(rng, 20 if assistant else 8),
                         sentence(rng, 25) if assistant else "", now + conversation * 60 + k))
            if len(rows) >= 50_000:
                db.executemany("INSERT INTO messages(conversation_id, role, content, reasoning, created_at, "
                               "updated_at) VALUES (?, ?, ?, ?, ?, ?5)", rows)
                rows.clear()
    db.executemany("INSERT INTO messages(conversation_id, role, content, reasoning, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?5)", rows)
    db.execute("INSERT INTO messages(conversation_id, role, content, created_at, updated_at) VALUES "
               "(?, 'assistant', 'the needle: a zanzibar quokka answer', ?, ?)", (conversations // 2, now, now))
    db.execute("COMMIT")
    db.execute("PRAGMA optimize")
    store.close()


def timed(label: str, target_ms: float, run: Callable[[], Sized], repeat: int = 5) -> tuple[float, int]:
    """The best of `repeat` runs (ms), printed against its target, and how many rows the run returned."""
    times = []
    found = 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = len(run())
        times.append((time.perf_counter() - start) * 1000)
    best = min(times)
    print(f"  {label:36} {best:7.1f} ms  (target <= {target_ms:.0f} ms, ratio {best / target_ms:.2f})")
    return best, found


def measure(store: TranscriptStore) -> dict[str, tuple[float, int]]:
    """Each query's best time and its row count (a query that found nothing would be fast for nothing)."""
    return {
        "list": timed("list newest 50 conversations", 100, lambda: store.list_conversations(limit=50)),
        "open": timed("open the long conversation", 100, lambda: store.messages(1)),
        "needle": timed("full-text query ('zanzibar quokka')", 50, lambda: store.search("zanzibar quokka")),
        "common": timed("full-text query, common words, top 50", 50,
                        lambda: store.search("reasoning token", limit=50)),
        "chinese": timed("… with reasoning, Chinese, top 50", 50,
                         lambda: store.search("推理 模型", limit=50, reasoning=True)),
    }


def main() -> None:
    cache = Path(tempfile.gettempdir()) / "reasonchat-bench-store"
    path = cache / f"scale-{CONVERSATIONS}-{MESSAGES}.db"
    if "--fresh" in sys.argv:
        shutil.rmtree(cache, ignore_errors=True)
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        fill(path.with_suffix(".tmp"))
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(path.with_suffix(".tmp")) + suffix)
            if src.exists():
                src.rename(Path(str(path) + suffix))
        print(f"filled {CONVERSATIONS} conversations / {MESSAGES} messages in {time.perf_counter() - start:.1f} s")
    with TranscriptStore(path) as store:
        count = store.conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        conversations = store.conn.execute("SELECT count(*) FROM conversations").fetchone()[0]
        print(f"P7 store scale ({conversations} conversations, {count} messages; the long one has {BIG}):")
        measure(store)


if __name__ == "__main__":
    main()
