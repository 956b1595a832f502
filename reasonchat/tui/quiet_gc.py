"""Full garbage collections at quiet moments, never while the user is waiting on the screen.

A full collection scans every object Python tracks. With a long conversation open that took 50–150 ms
(measured with `gc.callbacks` during a resize and while paging), and they came every second or two while
scrolling or streaming: each one a frozen frame. Young collections (a few milliseconds) stay automatic; full
ones leave the automatic schedule and run when nothing has been typed, clicked or resized for IDLE seconds
and nothing streams, renders or mounts. Cyclic garbage that lives that long waits a little to be freed;
everything else is freed by reference counting as usual.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE = 2.0  # seconds without input or work before a full collection may run (a collection that ran the
# moment a long conversation finished loading in the background froze the user's next resize for ~90 ms)
CHECK_EVERY = 1.0
NEVER = 1 << 30  # a gen-2 threshold never reached: no automatic full collection


def release_styles_caches() -> None:
    """Let go of the widgets Textual's styles memo holds. `StylesCache.get_inner_outer` is an `lru_cache`d
    method (Textual 8.2.8), so its keys hold up to 1,024 widgets' `StylesCache`s — and with each, every line
    that widget drew — long after the widget was removed: opening conversation after conversation grew the
    app ~0.4 MB each time until the memo filled. Cleared, it costs a few `Style`s to build again."""
    from textual._styles_cache import StylesCache

    memo = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if memo is not None:  # a Textual that no longer memoises it: nothing to let go of
        memo()


class QuietCollector:
    def __init__(self, busy: Callable[[], bool], clock: Callable[[], float] = time.monotonic) -> None:
        self.busy = busy
        self.clock = clock  # (a test's own clock: "quiet for IDLE seconds" is shown without waiting for them)
        self.last_activity = clock()
        self._thresholds = gc.get_threshold()

    def install(self) -> None:
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, NEVER)

    def uninstall(self) -> None:
        gc.set_threshold(*self._thresholds)

    def touch(self) -> None:
        """The user did something: a full collection now would be in their way."""
        self.last_activity = self.clock()

    def check(self) -> None:
        """Run a full collection if one is due and nothing is going on."""
        if gc.get_count()[2] == 0:  # no young collection since the last full one: nothing new to look at
            return
        if self.busy():  # work going on counts as activity: when it ends, the user is likely to act next
            self.touch()
            return
        if self.clock() - self.last_activity < IDLE:
            return
        release_styles_caches()
        gc.collect()
        self.last_activity = self.clock()
