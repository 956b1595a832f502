"""P7': searching a large store of realistic messages from the history screen, while typing.

The store: 2,000 conversations / 100,000 messages of the sizes benchmarks/fixtures.py makes (answers of
1–4k tokens, reasoning of 3–15k), built once through the real schema (FTS triggers and all) and cached under
the system temp dir; its bytes on disk are printed. In the real app (headless), history opens (ctrl+o) and a
query is typed a character every 100 ms (a quick typist) — a rare word, a common word, a common and a rare
2-character Chinese word (shorter than the trigram index: the pair index of store/cjk.py, once the
background indexing of a store from before it has finished). Printed for each: the longest the
event loop was blocked while typing and waiting (target <= 50 ms), and the time from the last keystroke to
its results on screen (target <= 100 ms), of which the search's own pause after typing (`history.PAUSE`)
is a part.

    python -m benchmarks.large_store [--tiny] [--fresh]
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.fixtures import seed_large_store
from benchmarks.long_conversation import LagProbe

QUERIES = [("rare word", "zephyrine"), ("common word", "stream"), ("2-character Chinese, common", "数据"),
           ("2-character Chinese, rare", "鲸鱼")]
KEYSTROKE = 0.1  # seconds between characters


def store_home(tiny: bool, fresh: bool) -> tuple[Path, dict[str, float]]:
    """A REASONCHAT_HOME holding the large store (cached), and its sizes."""
    size = (20, 400) if tiny else (2000, 100_000)
    home = Path(tempfile.gettempdir()) / "reasonchat-bench" / f"large-{size[0]}-{size[1]}"
    path = home / "reasonchat.db"
    if fresh or tiny:
        shutil.rmtree(home, ignore_errors=True)
    built: dict[str, float] = {}
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        built = seed_large_store(path, conversations=size[0], messages=size[1], pool=8 if tiny else 400)
    disk = sum(p.stat().st_size for p in home.glob("reasonchat.db*"))
    return home, {"conversations": size[0], "messages": size[1], "disk_bytes": disk, **built}


async def measure(home: Path) -> dict[str, dict[str, float]]:
    from reasonchat import config
    from reasonchat.providers import ProviderOptions
    from reasonchat.tui.app import make_app
    from reasonchat.tui.screens.history import HistoryScreen

    os.environ["REASONCHAT_HOME"] = str(home)
    app = make_app(config.load(home / "config.toml"), ProviderOptions(demo=True), remember=False)
    out: dict[str, dict[str, float]] = {}
    probe = LagProbe()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        probe.start()
        asked = time.perf_counter()
        await pilot.press("ctrl+o")
        screen: Any = None
        while not (isinstance(app.screen, HistoryScreen) and app.screen.shown_query == ""):
            await asyncio.sleep(0.002)
        screen = app.screen
        out["open history"] = {"result": time.perf_counter() - asked, "lag": await probe.stop()}
        for label, query in QUERIES:
            screen.query_one("#search").value = ""
            while screen.shown_query != "":
                await asyncio.sleep(0.002)
            probe.start()
            typed = 0.0
            field = screen.query_one("#search")
            for char in query:  # as a key would, without the pilot's wait for everything to settle after it
                await asyncio.sleep(KEYSTROKE)
                field.insert_text_at_cursor(char)
                typed = time.perf_counter()
            while screen.shown_query != query:
                await asyncio.sleep(0.002)
            result = time.perf_counter() - typed
            out[f"{label}: {query}"] = {"result": result, "lag": await probe.stop()}
    return out


def main() -> None:
    from reasonchat.tui.screens.history import PAUSE

    home, sizes = store_home("--tiny" in sys.argv, "--fresh" in sys.argv)
    figures = asyncio.run(measure(home))
    built = f", built in {sizes['seconds']:.0f} s" if "seconds" in sizes else ""
    print(f"P7' large store: {sizes['conversations']:.0f} conversations, {sizes['messages']:.0f} messages, "
          f"{sizes['disk_bytes'] / 1e9:.2f} GB on disk{built}; a character typed every {KEYSTROKE * 1000:.0f} ms, "
          f"the search waits {PAUSE * 1000:.0f} ms after the last")
    for label, figure in figures.items():
        print(f"    {label:<38} results {figure['result'] * 1000:5.0f} ms after the last key (target <= 100), "
              f"loop blocked at most {figure['lag'] * 1000:3.0f} ms (target <= 50)")


if __name__ == "__main__":
    main()
