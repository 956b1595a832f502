"""Save a streaming reply as it arrives, without a write per token.

The assistant row is inserted at the first token, then rewritten at most every `interval` seconds while
text keeps arriving, and once more at the end. `run_flusher` also flushes on a timer, so text that arrived
just before a long pause is on disk within a second even if no further token comes. A crash therefore
loses at most the last `interval` seconds.

A failed write (full disk, store made read-only) never stops the stream: the reply keeps arriving and
showing, and the next flush tries again — every write rewrites the whole row, so one that succeeds later
saves everything. Only an explicit `flush()` (the final one) raises StoreError.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from reasonchat.core.reply import Reply
from reasonchat.errors import StoreError
from reasonchat.store.transcripts import TranscriptStore


class ReplyWriter:
    def __init__(self, store: TranscriptStore, conversation_id: int, reply: Reply, interval: float = 0.5) -> None:
        self.store = store
        self.conversation_id = conversation_id
        self.reply = reply
        self.interval = interval
        self.message_id: int | None = None
        self._saved_version = -1
        self._saved_status = ""
        self._last = 0.0

    def maybe_flush(self) -> None:
        """Call after applying events: writes when there is news and `interval` has passed."""
        reply = self.reply
        if not reply.has_text and not reply.done:
            return
        if reply.version == self._saved_version and reply.status == self._saved_status:
            return
        if self.message_id is None or time.monotonic() - self._last >= self.interval:
            with contextlib.suppress(StoreError):  # retried at the next interval; the final flush raises
                self.flush()

    def flush(self) -> int:
        """Write the reply as it stands now; returns the message id. Raises StoreError if that failed."""
        reply = self.reply
        self._last = time.monotonic()
        self.message_id = self.store.save_reply(self.conversation_id, reply, self.message_id)
        self._saved_version, self._saved_status = reply.version, reply.status
        return self.message_id


async def run_flusher(writer: ReplyWriter) -> None:
    """Flush on a timer until cancelled: covers pauses in the stream."""
    while True:
        await asyncio.sleep(writer.interval / 2)
        writer.maybe_flush()
