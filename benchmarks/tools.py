"""Tools: what the tool loop and the MCP servers cost.

T1  a tool result to the next request on the wire: from the loop's "call done" to the demo server receiving
    the request that carries it (target <= 50 ms), a real MCP server over stdio, median and max of 10
T2  event-loop lag while three MCP servers start (the SDK imported on a thread first, as the TUI does):
    p99 and max of a 10 ms timer's lateness (target <= 50 ms); how long they took to start
P1  with three MCP servers configured (they start at the first request, which offers their tools) against
    none, the same run: stream time / ideal and CPU / wall (target: unchanged)
P5  first frame of `reasonchat --demo` with three servers configured against none (target: unchanged: the
    servers start on the first request, the SDK is not imported before)

    python -m benchmarks.tools
"""

from __future__ import annotations

import asyncio
import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SERVERS = 3


def servers_toml(count: int = SERVERS) -> str:
    return "".join(f'[mcp.s{n}]\ncommand = "{sys.executable}"\nargs = ["-m", "reasonchat.demo.mcp_server"]\n'
                   'approve = "auto"\n' for n in range(count))


async def result_to_wire(runs: int = 10) -> list[float]:
    from reasonchat.core.client import ChatClient
    from reasonchat.core.events import CallChanged
    from reasonchat.core.provider import Provider
    from reasonchat.demo.server import DemoServer
    from reasonchat.tools import loop
    from reasonchat.tools.settings import DEMO_SERVER, ToolsConfig
    from reasonchat.tools.toolbox import ToolBox

    box = ToolBox(ToolsConfig({"demo": DEMO_SERVER}))
    await box.start()
    gaps: list[float] = []

    async def never(*_: object) -> bool:
        return True

    try:
        with DemoServer() as server:
            provider = Provider(name="demo", base_url=server.base_url, model="demo@0", tool_reasoning=True)
            async with ChatClient(provider) as client:
                for _ in range(runs):
                    done_at = 0.0
                    before = len(server.requests)
                    events = loop.answer(client, [{"role": "user", "content": "what is 6*7?"}], toolbox=box,
                                         approve=never, max_rounds=8, keep_reasoning=True)
                    async for event in events:
                        if isinstance(event, CallChanged) and event.call.state == "done":
                            done_at = time.monotonic()
                    second = server.requests[before + 1]
                    gaps.append(second.came - done_at)
    finally:
        await box.aclose()
    return gaps


async def lag_while_starting() -> tuple[list[float], float]:
    from benchmarks.tui_stream import lag_probe
    from reasonchat.tools.settings import ServerConfig, ToolsConfig

    samples: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.create_task(lag_probe(samples, stop))
    toolbox = await asyncio.to_thread(importlib.import_module, "reasonchat.tools.toolbox")
    servers = {f"s{n}": ServerConfig(f"s{n}", command=sys.executable, args=("-m", "reasonchat.demo.mcp_server"))
               for n in range(SERVERS)}
    box = toolbox.ToolBox(ToolsConfig(servers))
    began = time.perf_counter()
    await box.start()
    took = time.perf_counter() - began
    await asyncio.sleep(0.2)
    stop.set()
    await probe
    await box.aclose()
    return sorted(samples), took


def p5(runs: int) -> tuple[float, float]:
    from benchmarks.startup import first_frame

    plain = Path(tempfile.mkdtemp(prefix="rc-p5-"))
    tooled = Path(tempfile.mkdtemp(prefix="rc-p5-tools-"))
    (tooled / "config.toml").write_text(servers_toml(), encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if k != "REASONCHAT_HOME"}
    base.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"})
    without, with_servers = [], []
    for _ in range(runs):  # interleaved: the machine's moods fall on both
        without.append(first_frame([sys.executable, "-m", "reasonchat", "--demo"], b"thinking on",
                                   {**base, "REASONCHAT_HOME": str(plain)}))
        with_servers.append(first_frame([sys.executable, "-m", "reasonchat", "--demo"], b"thinking on",
                                        {**base, "REASONCHAT_HOME": str(tooled)}))
    return statistics.median(without), statistics.median(with_servers)


def main() -> None:
    from benchmarks._server import demo_server_process
    from benchmarks.tui_stream import RATE, TOKENS, _stream_time, run_stream

    gaps = asyncio.run(result_to_wire())
    print(f"T1 a tool result to the next request on the wire: median {statistics.median(gaps) * 1000:.1f} ms, "
          f"max {max(gaps) * 1000:.1f} ms (target <= 50)")
    lag, took = asyncio.run(lag_while_starting())
    print(f"T2 loop lag while {SERVERS} servers start ({took:.2f} s): p99 {lag[int(len(lag) * 0.99)] * 1000:.1f} ms, "
          f"max {lag[-1] * 1000:.1f} ms (target <= 50)")
    ideal = TOKENS / RATE
    with demo_server_process() as base_url:
        plain = asyncio.run(run_stream(base_url, f"bench-{TOKENS}@{RATE}"))
        tooled = asyncio.run(run_stream(base_url, f"bench-{TOKENS}@{RATE}", extra=servers_toml()))
    print(f"P1 with {SERVERS} servers configured: ratio {_stream_time(tooled) / ideal:.3f}, CPU "
          f"{tooled['cpu'] / tooled['wall']:.2f} of wall, first token {tooled['ttft'] * 1000:.0f} ms — without: "
          f"ratio {_stream_time(plain) / ideal:.3f}, CPU {plain['cpu'] / plain['wall']:.2f}, first token "
          f"{plain['ttft'] * 1000:.0f} ms")
    runs = 2 if "--tiny" in sys.argv else 9
    without, with_servers = p5(runs)
    print(f"P5 first frame with {SERVERS} servers configured {with_servers * 1000:.0f} ms, without "
          f"{without * 1000:.0f} ms: ratio {with_servers / without:.2f} (target: 1.0, unchanged)")


if __name__ == "__main__":
    main()
