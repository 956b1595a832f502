"""P-crash: how much of an answer a `kill -9` loses (DESIGN.md: at most the last second).

`reasonchat ask` streams a paced answer (its reasoning to stderr, read here with the time each byte arrived);
the process is killed at a random moment; the store, reopened, holds some prefix of the reasoning. The loss
is the time from when the last saved byte was printed to the kill. Target: <= 1.0 s in every run.

    python -m benchmarks.crash_loss [--runs N]
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks._server import demo_server_process

MODEL = "bench-4000@150"


def one_run(base_url: str, wait: float) -> float:
    """Seconds of printed reasoning the store did not have when `ask` was killed `wait` s into its answer."""
    home = Path(tempfile.mkdtemp(prefix="rc-crash-"))
    env = {**os.environ, "REASONCHAT_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "reasonchat", "ask", "--base-url", base_url, "--model", MODEL,
                             "a slow question"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    arrivals: list[tuple[float, int]] = []
    data = b""

    def read() -> None:
        nonlocal data
        assert proc.stderr is not None
        while chunk := os.read(proc.stderr.fileno(), 65536):
            data += chunk
            arrivals.append((time.monotonic(), len(data)))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(wait)
    killed_at = time.monotonic()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(5)
    from reasonchat.store import TranscriptStore

    TranscriptStore(home / "reasonchat.db").close()  # recovers the row the dead process left
    with sqlite3.connect(home / "reasonchat.db") as conn:
        saved = conn.execute("SELECT reasoning FROM messages WHERE role = 'assistant'").fetchone()[0]
    printed = len(saved.encode())
    if not data.startswith(saved.encode()):  # the store must hold a prefix of what was shown, nothing else
        raise RuntimeError(f"the store holds {printed} bytes that are not what the program printed")
    # The moment the printed text first covered what was saved (the stderr text is the reasoning itself).
    covered = next((t for t, n in arrivals if n >= printed), killed_at)
    return killed_at - covered


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 6
    rng = random.Random(7)
    with demo_server_process() as base_url:
        losses = [one_run(base_url, rng.uniform(2.0, 5.0)) for _ in range(runs)]
    losses.sort()
    each = ", ".join(f"{x:.2f}" for x in losses)
    print(f"P-crash kill -9 mid-answer, {runs} runs: lost {each} s; median {losses[len(losses) // 2]:.2f} s, "
          f"max {losses[-1]:.2f} s (target <= 1.0 s)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
