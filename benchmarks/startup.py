"""P5 and P8: how fast reasonchat starts.

P5  `reasonchat --demo` spawned on a pty until its first frame is on the terminal, against a minimal
    Textual app measured the same way in the same run (target <= 1.3); and `openai` must not be imported
    by then (checked in the test suite: tests/tui/test_startup.py)
P8  `reasonchat --version` wall time / `python -c pass` (target <= 2.0)

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


def main() -> None:
    home = tempfile.mkdtemp(prefix="rc-start-")
    env = {**os.environ, "REASONCHAT_HOME": home, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    exe = shutil.which("reasonchat") or sys.executable
    app = [exe, "--demo"] if exe != sys.executable else [sys.executable, "-m", "reasonchat", "--demo"]
    version = [exe, "--version"] if exe != sys.executable else [sys.executable, "-m", "reasonchat", "--version"]
    ours, minimal, versions, passes = [], [], [], []
    for _ in range(RUNS):
        minimal.append(first_frame([sys.executable, "-c", MINIMAL], b"minimal app ready", env))
        ours.append(first_frame(app, b"thinking on", env))
        passes.append(wall([sys.executable, "-c", "pass"], env))
        versions.append(wall(version, env))
    m_ours, m_min = statistics.median(ours), statistics.median(minimal)
    m_ver, m_pass = statistics.median(versions), statistics.median(passes)
    print(f"P5 first frame on a pty: reasonchat --demo {m_ours * 1000:.0f} ms, minimal Textual app "
          f"{m_min * 1000:.0f} ms, ratio {m_ours / m_min:.2f} (target <= 1.3)")
    print(f"P8 reasonchat --version {m_ver * 1000:.0f} ms, python -c pass {m_pass * 1000:.0f} ms, "
          f"ratio {m_ver / m_pass:.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()
