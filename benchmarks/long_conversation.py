"""P9–P12 and P3': a long conversation (50 turns of realistic answers and reasoning, benchmarks/fixtures.py).

P9   open it: from the request (history's Enter) to the first frame showing its end, target <= 150 ms; and the
     longest the event loop was blocked while it loads, target <= 50 ms. Also from a spawned `reasonchat -c`:
     its first frame of the conversation, against `reasonchat --demo`'s first frame in the same run (the start
     itself is P5's business; what opening the conversation adds is this one's).
P10  resize 120 → 80 → 120 columns with it on screen: the longest loop block, target <= 50 ms
P11  PageDown from top to bottom: the longest loop block, target <= 50 ms
P12  the process's resident memory with it open, after a 20k-token stream, target <= 150 MB
P3'  P1 (a 20k-token stream at 3,000 tok/s) with 10 long answers on screen / with none: CPU ratio
     (target <= 1.10) and loop lag p99 (target <= 50 ms)

    python -m benchmarks.long_conversation [--turns N] [--math]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._server import demo_server_process
from benchmarks.fixtures import seed_long_conversation

MARKER = "END OF THE LONG CONVERSATION"


class LagProbe:
    """The loop's lateness every 5 ms, from `start()` to `stop()`."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            self.samples.append(time.perf_counter() - started - 0.005)

    def start(self) -> None:
        self.samples = []
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> float:
        """The longest block seen (seconds)."""
        assert self._task is not None
        await asyncio.sleep(0.02)  # one more sample after the last step
        self._task.cancel()
        return max(self.samples, default=0.0)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def idle(pilot: Any, app: Any, busy: Callable[[], bool], timeout: float = 60) -> None:
    """Until `busy()` is false and nothing is left to lay out or paint."""
    end = time.perf_counter() + timeout
    while busy():
        if time.perf_counter() > end:
            raise RuntimeError("still busy")
        await asyncio.sleep(0.01)
    await pilot.pause()


def loading(app: Any) -> bool:
    """Turns still being mounted or lines still being rendered. Attributes only: a DOM query every few
    milliseconds would be the benchmark's own load on the loop it measures."""
    from reasonchat.tui.render_queue import render_queue

    return bool(app.chat.mounting_earlier) or render_queue(app).busy


MODEL = "bench-20000@0"  # the answer P12 streams below the conversation


def write_config(home: Path, base_url: str, model: str) -> None:
    (home / "config.toml").write_text(
        f'[presets.bench]\nbase_url = "{base_url}"\nmodel = "{model}"\n', encoding="utf-8")


async def measure(base_url: str, home: Path, conversation_id: int, model: str = MODEL) -> dict[str, float]:
    from reasonchat import config
    from reasonchat.providers import ProviderOptions
    from reasonchat.tui.app import make_app
    from reasonchat.tui.render_queue import next_frame

    os.environ["REASONCHAT_HOME"] = str(home)
    write_config(home, base_url, model)
    app = make_app(config.load(home / "config.toml"), ProviderOptions(preset="bench"), remember=False)
    out: dict[str, float] = {}
    probe = LagProbe()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()  # the app's own preload is not what is measured
        await pilot.pause()
        probe.start()
        asked = time.perf_counter()
        await app.chat.open_conversation(conversation_id)
        view = app.chat.conversation
        while not (view.scroll_y >= view.max_scroll_y and _bottom_ready(app)):
            await asyncio.sleep(0.002)
        await next_frame(app)  # and painted
        out["p9_first_frame"] = time.perf_counter() - asked
        await idle(pilot, app, lambda: loading(app))
        out["p9_lag"] = await probe.stop()
        out["p9_all_loaded"] = time.perf_counter() - asked

        probe.start()
        for width in (80, 120):
            await pilot.resize_terminal(width, 40)
            await idle(pilot, app, lambda: loading(app))
        out["p10_lag"] = await probe.stop()

        await pilot.press("ctrl+home")
        await idle(pilot, app, lambda: loading(app))
        probe.start()
        steps = 0
        while view.scroll_y < view.max_scroll_y and steps < 2000:
            await pilot.press("pagedown")
            await idle(pilot, app, lambda: loading(app))
            steps += 1
        out["p11_lag"] = await probe.stop()
        out["p11_pages"] = steps

        await stream_one_more(pilot, app)
        out["p12_rss_paged"] = rss_mb()
    return out


async def stream_one_more(pilot: Any, app: Any) -> None:
    """Ask one more question below the conversation and wait for its 20k-token answer to end."""
    before = len(app.chat.turns())
    app.chat.prompt.text = "one more question"
    await pilot.press("enter")
    while len(app.chat.turns()) == before or app.chat.turns()[-1].reply.status == "streaming" or app.chat.generating:
        await asyncio.sleep(0.02)
    reply = app.chat.turns()[-1].reply
    if reply.status != "complete":  # a figure taken after a failed stream would measure the wrong thing
        raise RuntimeError(f"the answer P12 streams ended {reply.status}: {reply.error}")
    await idle(pilot, app, lambda: loading(app))


async def memory(base_url: str, home: Path, conversation_id: int, model: str = MODEL) -> float:
    """P12 as a user meets it, in a process of its own: open the conversation, read its end, ask once more."""
    from reasonchat import config
    from reasonchat.providers import ProviderOptions
    from reasonchat.tui.app import make_app

    write_config(home, base_url, model)
    app = make_app(config.load(home / "config.toml"), ProviderOptions(preset="bench"), remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await app.chat.open_conversation(conversation_id)
        await idle(pilot, app, lambda: loading(app))
        await stream_one_more(pilot, app)
        return rss_mb()


def memory_in_own_process(base_url: str, home: Path, conversation_id: int, model: str = MODEL) -> float:
    env = {**os.environ, "REASONCHAT_HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "benchmarks.long_conversation", "--memory", base_url,
                           str(conversation_id), model], env=env, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def _bottom_ready(app: Any) -> bool:
    """What is on screen is drawn from rendered lines: no part of an answer on screen is an estimate or blank
    (the view is at the end: the caller checks)."""
    from reasonchat.tui.render_queue import drawn_on_screen

    return drawn_on_screen(app.chat.conversation.children)


def spawn(home: Path, argv_tail: list[str], marker: bytes) -> float:
    from benchmarks.startup import first_frame

    env = {**os.environ, "REASONCHAT_HOME": str(home), "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    return first_frame([sys.executable, "-m", "reasonchat", *argv_tail], marker, env)


def p3(base_url: str, repeats: int = 3, model: str = "", history: int = 10) -> tuple[dict[str, float],
                                                                                  dict[str, float]]:
    """Median figures of `repeats` runs each (alternating): single runs on two cores vary by ±8%."""
    from benchmarks.tui_stream import RATE, TOKENS, run_stream

    model = model or f"bench-{TOKENS}@{RATE}"
    bare: list[dict[str, float]] = []
    loaded: list[dict[str, float]] = []
    for _ in range(repeats):
        bare.append(asyncio.run(run_stream(base_url, model)))
        loaded.append(asyncio.run(run_stream(base_url, model, history=history, realistic=True)))
    return _median(bare), _median(loaded)


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    if "--memory" in sys.argv:  # the child of memory_in_own_process
        base_url, conversation_id, model = sys.argv[sys.argv.index("--memory") + 1:][:3]
        home = Path(os.environ["REASONCHAT_HOME"])
        print(asyncio.run(memory(base_url, home, int(conversation_id), model)))
        return
    turns = int(sys.argv[sys.argv.index("--turns") + 1]) if "--turns" in sys.argv else 50
    home = Path(tempfile.mkdtemp(prefix="rc-long-"))
    math = "--math" in sys.argv  # answers half of whose blocks carry math
    conversation_id = seed_long_conversation(home / "reasonchat.db", turns, marker=MARKER, math=math)
    with demo_server_process() as base_url:
        # Spawned first: the in-app measurement ends with a new answer below the marker.
        spawned = statistics.median(spawn(home, ["--demo", "-c"], MARKER.encode()) for _ in range(5))
        bare = statistics.median(spawn(home, ["--demo"], b"thinking on") for _ in range(5))
        figures = asyncio.run(measure(base_url, home, conversation_id))
        figures["p12_rss"] = memory_in_own_process(base_url, home, conversation_id)
        stream, loaded = p3(base_url)
    print(f"{turns} turns of realistic answers and reasoning{' (the answers with math)' if math else ''}")
    print(f"P9  open from history: first frame {figures['p9_first_frame'] * 1000:.0f} ms (target <= 150), all "
          f"loaded {figures['p9_all_loaded'] * 1000:.0f} ms, loop blocked at most {figures['p9_lag'] * 1000:.0f} ms "
          f"(target <= 50); spawned `reasonchat -c` {spawned * 1000:.0f} ms to the conversation vs "
          f"`--demo` {bare * 1000:.0f} ms to its first frame (+{(spawned - bare) * 1000:.0f} ms)")
    print(f"P10 resize 120→80→120: loop blocked at most {figures['p10_lag'] * 1000:.0f} ms (target <= 50)")
    print(f"P11 PageDown top to bottom ({figures['p11_pages']:.0f} pages): loop blocked at most "
          f"{figures['p11_lag'] * 1000:.0f} ms (target <= 50)")
    print(f"P12 RSS with it open after a 20k-token stream: {figures['p12_rss']:.0f} MB (target <= 150); in the "
          f"process that also resized and paged through all of it first: {figures['p12_rss_paged']:.0f} MB")
    with_answers, without = loaded["cpu"] / loaded["wall"], stream["cpu"] / stream["wall"]
    print(f"P3' with 10 long realistic answers on screen: CPU {with_answers:.2f} vs {without:.2f} of wall, ratio "
          f"{with_answers / without:.2f} (target <= 1.10); lag p99 {loaded['lag_p99'] * 1000:.0f} ms (target <= 50)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
