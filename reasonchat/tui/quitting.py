"""Quitting on SIGTERM and SIGHUP, certainly: what arrived is saved, and the process ends.

The signals are caught by plain signal handlers, which run in the main thread even while it waits on a lock
(a write to a terminal that went away: terminal.py), not only when the loop is free; each starts a
`Watchdog` and asks the loop to stop the answer, save it and exit. The watchdog ends the process once the
answer is saved and the app has had a moment to close by itself — or, if the save never comes back, after a
bound — so exit is certain, with 128 + the signal's number.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

SAVE_WITHIN = 10.0  # seconds for stopping and saving the answer in flight before the watchdog gives up on it
# Seconds, once saved, for the app to close by itself: with the terminal gone there is nothing to restore;
# with it there, cutting the restore short would leave it in raw mode, so that gets longer.
EXIT_WITHIN = 2.0
RESTORE_WITHIN = 5.0
QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Watchdog:
    """Ends the process with 128 + `signum` once `saved` is set and its EXIT_WITHIN more seconds have passed
    (or after SAVE_WITHIN seconds without it): whatever the app's shutdown waits on, it does not wait forever."""

    def __init__(self, signum: int, terminal_gone: bool) -> None:
        self.code = 128 + signum
        self.grace = EXIT_WITHIN if terminal_gone else RESTORE_WITHIN
        self.saved = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="reasonchat-exit", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _watch(self) -> None:
        self.saved.wait(SAVE_WITHIN)
        time.sleep(self.grace)  # (on its own thread)
        from reasonchat.tools.children import end_children

        end_children()  # (the MCP servers the app's shutdown did not get to end)
        os._exit(self.code)


def catch_quit_signals(handler: Callable[[int], None]) -> Callable[[], None]:
    """`handler(signum)` for SIGTERM and SIGHUP, run by plain signal handlers (see the module's docstring);
    returns what puts the earlier handlers back."""
    previous: dict[int, Any] = {}
    for signum in QUIT_SIGNALS:
        with contextlib.suppress(ValueError, OSError):  # not the main thread, or not a signal here
            previous[signum] = signal.signal(signum, lambda number, _frame: handler(number))

    def restore() -> None:
        for number, earlier in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(number, earlier)

    return restore
