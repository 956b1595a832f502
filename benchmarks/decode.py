"""P4: engine decode throughput vs raw httpx + json.loads over the same local stream (target >= 0.5).

Also shows the openai SDK's typed-chunk streaming for reference (what the engine avoids). Each way reads
the same unpaced 20,000-token stream from a demo server in another process; the best of several runs
counts, so a hiccup on a 2-core machine does not decide the result.

    python -m benchmarks.decode
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import httpx2
import openai

from benchmarks._server import demo_server_process
from reasonchat.core.client import ChatClient
from reasonchat.core.events import AnswerDelta, ReasoningDelta
from reasonchat.core.provider import Provider

TOKENS = 20_000
MODEL = f"bench-{TOKENS}@0"
MESSAGES = [{"role": "user", "content": "benchmark"}]
RUNS = 5


async def raw(base_url: str) -> int:
    body = {"model": MODEL, "messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}}
    count = 0
    async with httpx2.AsyncClient(timeout=60) as client, client.stream(
        "POST", base_url + "/chat/completions", json=body, headers={"Authorization": "Bearer x"}
    ) as response:
        async for line in response.aiter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                chunk = json.loads(line[6:])
                for choice in chunk.get("choices") or ():
                    delta = choice.get("delta") or {}
                    if delta.get("reasoning_content") or delta.get("content"):
                        count += 1
    return count


async def engine(base_url: str) -> int:
    count = 0
    async with ChatClient(Provider(name="bench", base_url=base_url, model=MODEL, api_key="x")) as client:
        async for event in client.stream(MESSAGES):
            if isinstance(event, ReasoningDelta | AnswerDelta):
                count += 1
    return count


async def sdk_typed(base_url: str) -> int:
    count = 0
    client = openai.AsyncOpenAI(base_url=base_url, api_key="x")
    stream = await client.chat.completions.create(model=MODEL, messages=MESSAGES,  # type: ignore[arg-type]
                                                  stream=True, stream_options={"include_usage": True})
    async for chunk in stream:
        for choice in chunk.choices:
            delta = choice.delta
            if getattr(delta, "reasoning_content", None) or delta.content:
                count += 1
    await client.close()
    return count


def best(run: Callable[[str], Awaitable[int]], base_url: str) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        count = asyncio.run(run(base_url))  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    return min(times), count


def main() -> None:
    with demo_server_process() as base_url:
        asyncio.run(raw(base_url))  # warm the server's cache of the rendered stream
        t_raw, n_raw = best(raw, base_url)
        t_engine, n_engine = best(engine, base_url)
        t_sdk, n_sdk = best(sdk_typed, base_url)
    assert n_raw == n_engine == n_sdk == TOKENS, (n_raw, n_engine, n_sdk)
    print(f"P4 decode, {TOKENS} chunks, best of {RUNS}:")
    print(f"  raw httpx + json.loads  {t_raw * 1000:7.1f} ms  {TOKENS / t_raw:9.0f} chunks/s")
    print(f"  reasonchat engine       {t_engine * 1000:7.1f} ms  {TOKENS / t_engine:9.0f} chunks/s")
    print(f"  openai SDK typed chunks {t_sdk * 1000:7.1f} ms  {TOKENS / t_sdk:9.0f} chunks/s")
    print(f"  ratio engine/raw = {t_raw / t_engine:.2f}  (target >= 0.5)   sdk/raw = {t_raw / t_sdk:.2f}")


if __name__ == "__main__":
    main()
