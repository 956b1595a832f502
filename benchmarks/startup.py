"""P5 and P8: how fast reasonchat starts.

P5  `reasonchat --demo` spawned on a pty until its first frame is on the terminal, against a minimal
    Textual app measured the same way in the same run (target <= 1.3); and `openai` must not be imported
    by then (checked in the test suite: tests/tui/test_startup.py)
P8  the quick commands — `--help`, `presets`, `history --limit 20`, `completion --list presets` (which runs
    at every Tab) — wall time / `python -c pass` (target <= 8 each: about 70 ms here, under what a person
    notices), and `export last` (it parses Markdown; target <= 15), on a store of 100 realistic
    conversations (benchmarks/fixtures.py) and a config file where a user has them. What they must not load
    (the SDK, Textual, the Markdown renderers) is held by a test: tests/unit/test_architecture.py. Run it
    from a regular install (`pip install .`): an editable install adds an import hook to every start.

Each figure is the median of several runs.

    python -m benchmarks.startup
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 15
MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("minimal app ready")
Minimal().run()
"""


def first_frame(argv: list[str], marker: bytes, env: dict[str, str]) -> float:
    """Seconds from spawn until `marker` appears on the pty."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    seen = b""
    try:
        while time.perf_counter() - start < 30:
            ready, _, _ = select.select([leader], [], [], 0.01)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:
                    break
                if marker in seen:
                    return time.perf_counter() - start
        raise RuntimeError(f"{argv} never showed {marker!r}")
    finally:
        proc.kill()
        proc.wait()
        os.close(leader)


def wall(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


COMMANDS = {"--version": 8.0, "--help": 8.0, "presets": 8.0, "history --limit 20": 8.0,
            "completion --list presets": 8.0, "export last": 15.0}  # command -> its target ratio


def seeded_home(conversations: int = 100, messages: int = 1000) -> dict[str, str]:
    """The environment of a user with a config file and a store of realistic conversations, where a user has
    them: $XDG_CONFIG_HOME/reasonchat and $XDG_DATA_HOME/reasonchat (not REASONCHAT_HOME, which no user sets
    and which skipped finding the platform's directories)."""
    from pathlib import Path

    from benchmarks.fixtures import seed_large_store

    root = Path(tempfile.mkdtemp(prefix="rc-start-"))
    config, data = root / "config" / "reasonchat", root / "data" / "reasonchat"
    config.mkdir(parents=True)
    data.mkdir(parents=True)
    # A config of one's own, as most users have: reading it is part of every start.
    (config / "config.toml").write_text('[presets.lab]\nbase_url = "http://127.0.0.1:8000/v1"\n'
                                        'model = "qwen3-32b"\n\n[ui]\nreasoning = "collapsed"\n', encoding="utf-8")
    seed_large_store(data / "reasonchat.db", conversations=conversations, messages=messages, pool=20)
    env = {key: value for key, value in os.environ.items() if key != "REASONCHAT_HOME"}
    return {**env, "XDG_CONFIG_HOME": str(root / "config"), "XDG_DATA_HOME": str(root / "data")}


def command_ratios(exe: list[str], env: dict[str, str], runs: int = RUNS) -> tuple[float, dict[str, float]]:
    """Median wall time of `python -c pass`, and of each of COMMANDS."""
    passes: list[float] = []
    times: dict[str, list[float]] = {command: [] for command in COMMANDS}
    for _ in range(runs):
        passes.append(wall([sys.executable, "-c", "pass"], env))
        for command in COMMANDS:
            times[command].append(wall([*exe, *command.split()], env))
    return statistics.median(passes), {command: statistics.median(t) for command, t in times.items()}


def main() -> None:
    user = seeded_home(*((4, 8) if "--tiny" in sys.argv else ()))
    runs = 2 if "--tiny" in sys.argv else RUNS
    env = {**user, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    script = shutil.which("reasonchat")
    exe = [script] if script else [sys.executable, "-m", "reasonchat"]
    ours, minimal = [], []
    for _ in range(runs):
        minimal.append(first_frame([sys.executable, "-c", MINIMAL], b"minimal app ready", env))
        ours.append(first_frame([*exe, "--demo"], b"thinking on", env))
    m_ours, m_min = statistics.median(ours), statistics.median(minimal)
    print(f"P5 first frame on a pty: reasonchat --demo {m_ours * 1000:.0f} ms, minimal Textual app "
          f"{m_min * 1000:.0f} ms, ratio {m_ours / m_min:.2f} (target <= 1.3)")
    bare, times = command_ratios(exe, env, runs)
    print(f"P8 python -c pass {bare * 1000:.0f} ms; each command's ratio to it:")
    for command, seconds in times.items():
        print(f"    reasonchat {command:<26} {seconds * 1000:4.0f} ms  {seconds / bare:5.2f}  "
              f"(target <= {COMMANDS[command]:g})")
    exported = subprocess.run([*exe, "export", "last"], env=env, capture_output=True, check=True).stdout
    print(f"    (`export last` wrote {len(exported) / 1000:.0f} KB: the seeded store's last conversation)")


if __name__ == "__main__":
    main()
