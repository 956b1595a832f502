"""The HTTP transport decision (issue 13), measured in one run: three designs through the real TUI.

    stock+rest   httpx's own async transport (what reasonchat uses), resting 10 ms after a read that waited
    stock        the same without the rest
    thread       the threaded transport reasonchat used before (benchmarks/threaded_transport.py): httpx's
                 sync transport on a daemon thread, batches handed to the loop, its own 10 ms rest

For each: P1 (20k tokens paced at 3,000 tok/s: stream time / ideal, CPU / wall), P2 (loop lag p99 during
P1) and unpaced throughput (80k tokens, best of 3, tokens per second from the first token).

    python -m benchmarks.transport [--quick]
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from benchmarks._server import demo_server_process
from benchmarks.tui_stream import RATE, TOKENS, _stream_time, run_stream


@contextmanager
def design(name: str) -> Iterator[None]:
    """Switch reasonchat's client to one transport design for the duration."""
    import openai

    from reasonchat.core import client

    saved_rest, saved_factory = client.REST, client.http_client
    factory: Callable[..., object] = saved_factory
    if name == "stock":
        client.REST = 0
    elif name == "thread":
        from benchmarks.threaded_transport import ThreadedTransport

        client.REST = 0  # the thread rests on its own, before handing a batch over

        def factory(*_: object) -> object:
            return openai.DefaultAsyncHttpxClient(transport=ThreadedTransport(openai.DEFAULT_CONNECTION_LIMITS))

    client.http_client = factory  # type: ignore[assignment]
    try:
        yield
    finally:
        client.REST, client.http_client = saved_rest, saved_factory


def measure(base_url: str, tokens: int, unpaced: int, repeats: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for name in ("stock+rest", "stock", "thread"):
        with design(name):
            paced = asyncio.run(run_stream(base_url, f"bench-{tokens}@{RATE}"))
            fast = min((asyncio.run(run_stream(base_url, f"bench-{unpaced}@0")) for _ in range(repeats)),
                       key=_stream_time)
        results[name] = {
            "ratio": _stream_time(paced) / (tokens / RATE),
            "cpu": paced["cpu"] / paced["wall"],
            "lag_p99": paced["lag_p99"],
            "unpaced_tps": unpaced / _stream_time(fast),
        }
    return results


def main() -> None:
    quick = "--quick" in sys.argv
    tokens, unpaced, repeats = (2000, 4000, 1) if quick else (TOKENS, 4 * TOKENS, 3)
    with demo_server_process() as base_url:
        results = measure(base_url, tokens, unpaced, repeats)
    print(f"{tokens} tokens at {RATE} tok/s; unpaced {unpaced} tokens, best of {repeats}")
    print(f"{'design':12}  {'P1 ratio':>8}  {'P1 CPU':>6}  {'P2 p99':>7}  {'unpaced tok/s':>13}")
    for name, r in results.items():
        print(f"{name:12}  {r['ratio']:8.3f}  {r['cpu']:6.2f}  {r['lag_p99'] * 1000:5.1f}ms  {r['unpaced_tps']:13,.0f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
