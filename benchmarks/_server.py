"""Run the demo server in its own process, so it does not share the benchmark's interpreter (or GIL)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def demo_server_process(realistic: bool = False, math: bool = False) -> Iterator[str]:
    """Yields the base URL of a `reasonchat demo-server` running in a subprocess (`realistic`: its `bench-`
    answers are benchmarks/fixtures.py's realistic ones, benchmarks/_realistic_server.py; `math`: and half
    their blocks carry math)."""
    port = free_port()
    server = ["benchmarks._realistic_server"] if realistic or math else ["reasonchat", "demo-server"]
    server += ["--math"] if math else []
    proc = subprocess.Popen([sys.executable, "-m", *server, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base_url + "/models", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        yield base_url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
