"""The threaded transport reasonchat used until issue 13, kept only so `benchmarks.transport` can measure it
next to the stock async transport in one run. Not used by reasonchat itself.

It drove httpx's sync transport on a daemon thread and handed bytes to the event loop in batches, resting
10 ms after a read that waited. Its known defects (why it went): a response leaked when the caller was
cancelled right after `send()` checked `abandoned`; a socket could be shut after its connection went back to
the pool; an unbounded pump; Escape did not stop a connect or a wait for headers (the thread lingered).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Generic, TypeVar, cast

import httpx2

# -- handoff (was reasonchat/core/handoff.py) --

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


# -- transport (was reasonchat/core/transport.py) --

# After a read that waited longer than WAITED, rest REST before the next: at most REST of added latency
# (the screen redraws every 67 ms); a body that is already buffered never waits, so never rests.
WAITED = 0.0003
REST = 0.01


class ThreadedTransport(httpx2.AsyncBaseTransport):
    def __init__(self, limits: httpx2.Limits) -> None:
        self._limits = limits
        self._sync: httpx2.HTTPTransport | None = None  # made on a thread: it loads TLS certificates (~30 ms)

    def _transport(self) -> httpx2.HTTPTransport:
        if self._sync is None:
            self._sync = httpx2.HTTPTransport(limits=self._limits)
        return self._sync

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()  # the body as bytes, readable by the sync transport
        abandoned = False

        def send() -> httpx2.Response:
            response = self._transport().handle_request(request)
            if abandoned:  # the caller was cancelled while we connected: nobody will close it
                response.close()
            return response

        try:
            response = await in_thread(send, "reasonchat-http")
        except asyncio.CancelledError:
            abandoned = True
            raise
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_ThreadedBody(response),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        if self._sync is not None:
            self._sync.close()


class _ThreadedBody(httpx2.AsyncByteStream):
    def __init__(self, response: httpx2.Response) -> None:
        self._response = response
        self._pump: Pump[bytes | Exception] | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        pump: Pump[bytes | Exception] = Pump(asyncio.get_running_loop())
        self._pump = pump
        start_daemon(lambda: self._read(pump), "reasonchat-body")
        async for batch in pump.batches():
            chunks = [item for item in batch if isinstance(item, bytes)]
            if chunks:
                yield b"".join(chunks)
            for item in batch:
                if isinstance(item, Exception):
                    raise item

    def _read(self, pump: Pump[bytes | Exception]) -> None:
        pump.on_cancel(_interrupter(self._response))
        try:
            for chunk in _gathered(self._response.iter_raw(), pump):
                pump.put(chunk)
        except Exception as exc:  # raised on the loop, where httpx and the SDK expect it
            if not pump.cancelled:
                pump.put(exc)
        finally:
            pump.on_cancel(None)  # the connection may go back to the pool: never shut it after this
            with contextlib.suppress(Exception):
                self._response.close()
            pump.close()

    async def aclose(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
        else:  # never read (an error status whose body was not wanted): give the connection back
            await in_thread(self._response.close, "reasonchat-close")


def _gathered(chunks: Iterator[bytes], pump: Pump[bytes | Exception]) -> Iterator[bytes]:
    """`chunks`, resting briefly after each one that had to wait for the network (see REST)."""
    while not pump.cancelled:
        started = time.perf_counter()
        chunk = next(chunks, None)
        if chunk is None:
            return
        waited = time.perf_counter() - started > WAITED
        yield chunk
        if waited:
            time.sleep(REST)


def _interrupter(response: httpx2.Response) -> Callable[[], None]:
    """Shut the response's socket from the loop, so a read blocked on a stalled server ends now."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None

    def interrupt() -> None:
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    return interrupt
