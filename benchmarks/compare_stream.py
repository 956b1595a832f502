"""P13: a compare of three columns through the real TUI (headless), each a 20k-token stream (15k reasoning,
5k Markdown answer) paced at 3,000 tok/s from the demo server in its own process, all at once.

    wall time from the first token to the last column's end / the stream's ideal duration (target <= 1.05)
    process CPU / wall (target <= 0.6: three streams decoded, stored and drawn by one event loop)
    event-loop lag p99 and max while they stream

    python -m benchmarks.compare_stream [--tiny]
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._server import demo_server_process
from benchmarks.tui_stream import lag_probe

RATE = 3000
TOKENS = 20_000
COLUMNS = 3


async def run_compare(base_url: str, model: str, columns: int = COLUMNS) -> dict[str, float]:
    from reasonchat import config
    from reasonchat.providers import ProviderOptions
    from reasonchat.tui.app import make_app
    from reasonchat.tui.screens.compare import CompareScreen
    from reasonchat.tui.widgets.compare_column import CompareColumn
    from reasonchat.tui.widgets.turn import AssistantTurn

    home = Path(tempfile.mkdtemp(prefix="rc-bench-compare-"))
    os.environ["REASONCHAT_HOME"] = str(home)
    presets = "".join(f'[presets.c{n}]\nbase_url = "{base_url}"\nmodel = "{model}"\n' for n in range(columns))
    (home / "config.toml").write_text(presets, encoding="utf-8")
    specs = [ProviderOptions(preset=f"c{n}") for n in range(columns)]
    app = make_app(config.load(home / "config.toml"), ProviderOptions(preset="c0"), remember=False, compare=specs)
    async with app.run_test(size=(180, 50)) as pilot:
        while not (isinstance(app.screen, CompareScreen)
                   and all(c.provider is not None for c in app.screen.query(CompareColumn))):
            await asyncio.sleep(0.05)
        screen = app.screen
        await app.workers.wait_for_complete()  # the app's preload after its first frame is not the stream's cost
        cols = list(screen.query(CompareColumn))
        screen.query_one("#prompt").text = "benchmark"
        samples: list[float] = []
        stop = asyncio.Event()
        probe = asyncio.create_task(lag_probe(samples, stop))
        cpu0, t0, sent = time.process_time(), time.perf_counter(), time.monotonic()
        await pilot.press("enter")
        while not all(c.worker is not None for c in cols) or screen.streaming:
            await asyncio.sleep(0.02)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        stop.set()
        await probe
        replies = [c.query_one(AssistantTurn).reply for c in cols]
        assert all(r.status == "complete" for r in replies), [r.error for r in replies]
        ttft = min((r.first_token_at or sent) - sent for r in replies)  # (from Enter, as in tui_stream.py)
    samples.sort()
    return {"wall": wall, "cpu": cpu, "ttft": ttft, "lag_p99": samples[int(len(samples) * 0.99)] if samples else 0,
            "lag_max": samples[-1] if samples else 0}


def main() -> None:
    tokens = 600 if "--tiny" in sys.argv else TOKENS
    ideal = tokens / RATE
    with demo_server_process() as base_url:
        run = asyncio.run(run_compare(base_url, f"bench-{tokens}@{RATE}"))
    stream = run["wall"] - run["ttft"]
    print(f"P13 compare of {COLUMNS} columns, each {tokens} tokens at {RATE} tok/s (ideal {ideal:.2f} s): wall "
          f"{run['wall']:.2f} s, ratio {stream / ideal:.3f} (target <= 1.05); CPU {run['cpu']:.2f} s = "
          f"{run['cpu'] / run['wall']:.2f} of wall (target <= 0.6); lag p99 {run['lag_p99'] * 1000:.1f} ms, "
          f"max {run['lag_max'] * 1000:.1f} ms")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
