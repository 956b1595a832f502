"""The last word on child processes: when the process must end at once (the terminal went away and the
shutdown did not finish in time: tui/quitting.py), every child it started — MCP servers, each the leader of
a process group of its own (the SDK starts them in a new session, so a hangup never reaches them) — is sent
SIGTERM with its group, so none outlives reasonchat. Linux lists a process's children in /proc; elsewhere
the orderly shutdown (`ToolBox.aclose`) is all there is."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def children(pid: int | None = None) -> list[int]:
    """The live children of `pid` (this process by default), as /proc lists them ([] where it does not)."""
    tasks = Path(f"/proc/{pid or os.getpid()}/task")
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in tasks.iterdir():
            with contextlib.suppress(OSError, ValueError):
                found += [int(p) for p in (task / "children").read_text().split()]
    return found


def end_children() -> None:
    for child in children():
        with contextlib.suppress(OSError):
            if os.getpgid(child) == child:
                os.killpg(child, signal.SIGTERM)
            else:
                os.kill(child, signal.SIGTERM)
