"""Blocking work on a daemon thread, its results handed to the event loop in batches.

Used by `transport.py` (which says why the network is read on a thread): one wake-up of the loop per
batch, never one per chunk or token.

Why daemon threads (not `asyncio.to_thread`): a stalled provider must never keep the process from
exiting; the executor's threads are joined at exit, a daemon thread is not.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar, cast

T = TypeVar("T")


def start_daemon(target: Callable[[], object], name: str) -> None:
    threading.Thread(target=target, name=name, daemon=True).start()


def _deliver(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> bool:
    """Run `callback` on the loop; False when the loop is gone (the consumer left, nothing to tell)."""
    try:
        loop.call_soon_threadsafe(callback)
    except RuntimeError:
        return False
    return True


async def in_thread(fn: Callable[[], T], name: str = "reasonchat-call") -> T:
    """`await` a blocking call made on a daemon thread."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(cast(T, result))

    def run() -> None:
        try:
            result, error = fn(), None
        except BaseException as exc:  # handed over to the awaiting task, which decides
            result, error = None, exc
        _deliver(loop, lambda: settle(result, error))

    start_daemon(run, name)
    return await future


class Pump(Generic[T]):
    """Items put by one producer thread, read in order by one task on the loop.

    The producer checks `cancelled` between items; `cancel()` also runs the producer's registered
    interrupt (closing its socket), so a stalled read ends at once rather than at its timeout.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._items: list[T] = []
        self._closed = False
        self._wake = asyncio.Event()
        self._interrupt: Callable[[], None] | None = None
        self.cancelled = False

    # -- producer side (any thread) ---------------------------------------------------------------

    def put(self, item: T) -> None:
        with self._lock:
            was_empty = not self._items
            self._items.append(item)
        if was_empty and not _deliver(self._loop, self._wake.set):
            self.cancelled = True

    def close(self) -> None:
        with self._lock:
            self._closed = True
        _deliver(self._loop, self._wake.set)

    def on_cancel(self, interrupt: Callable[[], None] | None) -> None:
        """What `cancel()` runs to break a blocked read; None once the producer no longer reads."""
        with self._lock:
            self._interrupt = interrupt
            if interrupt is not None and self.cancelled:
                interrupt()

    # -- consumer side (the loop) -----------------------------------------------------------------

    def cancel(self) -> None:
        with self._lock:  # the interrupt runs under the lock: never after the producer has let go of it
            self.cancelled = True
            if self._interrupt is not None:
                self._interrupt()

    async def batches(self) -> AsyncIterator[list[T]]:
        """Everything put since the last batch, until the producer closes."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            with self._lock:
                items, self._items = self._items, []
                closed = self._closed
            if items:
                yield items
            if closed:
                return
