"""The store's writer policy (reasonchat/store/writer.py), on a real store: the first text is written at once,
then at most every `interval`, news only; the final flush writes everything; a failed write never stops the
stream and a later one saves all; the timer flushes text that came before a pause."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta
from reasonchat.core.reply import Reply
from reasonchat.errors import StoreError
from reasonchat.store import TranscriptStore
from reasonchat.store.writer import ReplyWriter, run_flusher


@pytest.fixture
def store(tmp_path: Path) -> TranscriptStore:
    return TranscriptStore(tmp_path / "reasonchat.db")


def saved(store: TranscriptStore, conversation: int) -> tuple[str, str, str] | None:
    rows = [m for m in store.messages(conversation) if m.role == "assistant"]
    assert len(rows) <= 1, rows  # every write rewrites the one row: never a row per flush
    return (rows[-1].reasoning, rows[-1].content, rows[-1].status) if rows else None


def test_the_first_text_at_once_then_news_only_every_interval_and_all_at_the_end(store: TranscriptStore) -> None:
    conversation = store.create_conversation("p", "m", "t")
    reply = Reply(model="m")
    writer = ReplyWriter(store, conversation, reply, interval=3600)
    writer.maybe_flush()
    assert saved(store, conversation) is None and writer.message_id is None  # nothing yet: no row
    reply.apply(ReasoningDelta("hmm"))
    writer.maybe_flush()
    assert saved(store, conversation) == ("hmm", "", "streaming")  # the first text: at once
    reply.apply(AnswerDelta("yes"))
    writer.maybe_flush()
    assert saved(store, conversation) == ("hmm", "", "streaming")  # within the interval: not yet
    reply.apply(Finished("stop"))
    message_id = writer.flush()
    assert message_id == writer.message_id and saved(store, conversation) == ("hmm", "yes", "complete")


def test_with_no_interval_every_news_is_written_and_no_news_is_not(store: TranscriptStore,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    conversation = store.create_conversation("p", "m", "t")
    reply = Reply(model="m")
    writer = ReplyWriter(store, conversation, reply, interval=0)
    writes: list[str] = []
    real = store.save_reply
    monkeypatch.setattr(store, "save_reply", lambda *a: writes.append(reply.content) or real(*a))
    for text in ("a", "b"):
        reply.apply(AnswerDelta(text))
        writer.maybe_flush()
        writer.maybe_flush()  # nothing new since: no write
    reply.apply(Finished("stop"))
    writer.maybe_flush()  # the status changed: news
    assert writes == ["a", "ab", "ab"]
    assert saved(store, conversation) == ("", "ab", "complete")


def test_a_failed_write_never_stops_the_stream_and_a_later_one_saves_everything(store: TranscriptStore,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    conversation = store.create_conversation("p", "m", "t")
    reply = Reply(model="m")
    writer = ReplyWriter(store, conversation, reply, interval=0)
    real = store.save_reply
    failing = [True]

    def save(*args: object) -> int:
        if failing[0]:
            raise StoreError("disk full")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "save_reply", save)
    reply.apply(AnswerDelta("kept "))
    writer.maybe_flush()  # fails quietly
    assert saved(store, conversation) is None
    with pytest.raises(StoreError):
        writer.flush()  # an explicit flush says so
    failing[0] = False
    reply.apply(AnswerDelta("all"))
    writer.maybe_flush()
    assert saved(store, conversation) == ("", "kept all", "streaming")


async def test_the_timer_writes_what_came_before_a_pause(store: TranscriptStore) -> None:
    conversation = store.create_conversation("p", "m", "t")
    reply = Reply(model="m")
    writer = ReplyWriter(store, conversation, reply, interval=0.02)
    reply.apply(AnswerDelta("first"))
    writer.maybe_flush()
    reply.apply(AnswerDelta(" then a pause"))  # no maybe_flush: no token comes after it
    task = asyncio.create_task(run_flusher(writer))
    try:
        for _ in range(500):
            if saved(store, conversation) == ("", "first then a pause", "streaming"):
                break
            await asyncio.sleep(0.01)
        assert saved(store, conversation) == ("", "first then a pause", "streaming")
    finally:
        task.cancel()
