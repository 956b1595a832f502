"""The TUI's one source of "now", so snapshot tests can freeze titles like "Thinking… 3.2 s"."""

from __future__ import annotations

import time
from collections.abc import Callable

now: Callable[[], float] = time.monotonic

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def spinner() -> str:
    return SPINNER[int(now() * 10) % len(SPINNER)]
