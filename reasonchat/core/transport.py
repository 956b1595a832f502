"""An httpx transport for `AsyncOpenAI` that reads the network on a daemon thread, in batches.

Why: at 3,000 tokens a second every SSE event arrives as its own HTTP chunk, and the async stack
(anyio + httpcore + h11 + httpx) spends ~150 µs of the event loop on each one — 0.57 of a CPU, more than
drawing the answer. httpx's own synchronous transport on a thread costs a third of that, and after a read
that had to wait for the network the thread rests a few milliseconds, so the next read finds a batch of
events instead of one (~0.1 CPU in all). The loop then sees one chunk of bytes per batch. Everything
else stays with the SDK and httpx: the request, timeouts, retries, errors (raised here, mapped there).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator

import httpx2

from reasonchat.core.handoff import Pump, in_thread, start_daemon

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
