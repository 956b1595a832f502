"""The terminal driver: Textual's for POSIX terminals, made safe for a terminal that goes away (a closed
window, a dropped SSH session, `tmux kill-server`).

Textual writes to the terminal from a thread fed by a bounded queue. When the terminal is gone a write fails
(EIO): the thread dies, nothing drains the queue, and the next frame, or the shutdown's own "restore the
terminal", waits forever in `Queue.put` (the class of Textual #6692). Here a write that fails is dropped (the
writer thread never dies), and after a hangup nothing more is written or read: the terminal's descriptors
are pointed at /dev/null. What ends the process after a hangup is in quitting.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import termios
from typing import IO, Any

from textual.drivers.linux_driver import LinuxDriver


class _Terminal:
    """The terminal as the writer thread sees it: a write or flush that fails (the terminal is gone) is
    dropped rather than allowed to end the thread that drains Textual's queue."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file

    def write(self, text: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._file.write(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._file.flush()

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        return True


class TerminalDriver(LinuxDriver):
    """Textual's driver for POSIX terminals, made safe for a terminal that goes away."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._file = _Terminal(self._file)  # type: ignore[assignment,arg-type]  # a file as far as Textual is concerned
        self.hung_up = False

    def hang_up(self) -> bool:
        """After a SIGHUP: if the terminal is gone, point its descriptors at /dev/null (nothing written to it
        can fail or block again, Python's last flush at exit included), end the input thread and say True. A
        terminal that is still there (a `kill -HUP` from elsewhere) is left to be restored as usual."""
        if self.hung_up:
            return True
        try:
            termios.tcgetattr(self.fileno)  # fails (EIO) on a terminal that has hung up
        except (termios.error, OSError):
            pass
        else:
            return False
        self.hung_up = True
        devnull = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            with contextlib.suppress(OSError):
                os.dup2(devnull, descriptor)
        os.close(devnull)
        self.exit_event.set()  # the input thread stops at its next look (it reads /dev/null's end from now on)
        return True

    def write(self, data: str) -> None:
        if not self.hung_up:
            super().write(data)

    def run_input_thread(self) -> None:
        """A terminal that cannot be read any more has hung up, whether or not its SIGHUP has come yet."""
        try:
            super().run_input_thread()
        except OSError:
            os.kill(os.getpid(), signal.SIGHUP)
