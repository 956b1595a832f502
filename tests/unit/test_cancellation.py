"""Stopping a request in any phase — connecting, waiting for headers, streaming — stops it at once and leaves
no thread or socket behind. The server runs in its own process, so every socket counted here is the client's."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import threading
from collections.abc import Iterator

import pytest

from benchmarks._server import demo_server_process
from reasonchat.core.client import ChatClient
from reasonchat.core.events import StreamEvent
from reasonchat.core.provider import Provider

REQUEST = [{"role": "user", "content": "hello"}]


def open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return count


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with demo_server_process() as url:
        yield url


async def _consume(client: ChatClient, model: str, first: asyncio.Event) -> list[StreamEvent]:
    events = []
    async for event in client.stream(REQUEST, model=model):
        events.append(event)
        first.set()
    return events


async def _cancel_in(phase: str, base_url: str, black_hole: str, rng: random.Random) -> None:
    url, model = {"connect": (black_hole, "m"), "headers": (base_url, "fault-hang"),
                  "stream": (base_url, "bench-6000@300")}[phase]
    provider = Provider(name="p", base_url=url, model=model, max_retries=0, timeout=60, proxy="")
    async with ChatClient(provider) as client:
        first = asyncio.Event()
        task = asyncio.create_task(_consume(client, model, first))
        if phase == "stream":
            await asyncio.wait_for(first.wait(), 10)
        await asyncio.sleep(rng.uniform(0, 0.08))
        assert not task.done(), f"{phase}: the request ended by itself: {task.result()}"
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=5)  # a guard against a hang, not a measurement
        assert done, f"cancelling in the {phase} phase did not stop the request"
        assert task.cancelled()


async def test_fifty_requests_cancelled_in_random_phases_leave_nothing_behind(base_url: str,
                                                                            black_hole: str) -> None:
    rng = random.Random(20261123)
    await _cancel_in("stream", base_url, black_hole, rng)  # warm up: imports, the resolver's worker thread
    threads, sockets = threading.active_count(), open_sockets()
    phases = [rng.choice(["connect", "headers", "stream"]) for _ in range(50)]
    for phase in phases:
        await _cancel_in(phase, base_url, black_hole, rng)
    assert set(phases) == {"connect", "headers", "stream"}
    for _ in range(100):  # a closed socket's descriptor goes once its last reference does
        if threading.active_count() <= threads and open_sockets() <= sockets:
            break
        await asyncio.sleep(0.02)
    assert threading.active_count() <= threads, [t.name for t in threading.enumerate()]
    assert open_sockets() <= sockets
