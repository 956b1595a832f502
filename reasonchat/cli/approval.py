"""How `ask` decides a tool call: `--yes` allows every call; else it asks on the terminal (`/dev/tty`, so it
works with the prompt on a pipe), and with no terminal it declines and says, in one line, that `--yes` allows.

The question is read without blocking the event loop (the terminal's descriptor is watched with
`add_reader`), so Ctrl+C and SIGTERM still stop everything at once while it waits. What was typed on the
terminal before the question came is discarded first: a "y" and Enter typed ahead while the model was still
thinking must not allow a call nobody had seen yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import TYPE_CHECKING, TextIO

from reasonchat.tools.describe import call_line

if TYPE_CHECKING:
    from reasonchat.core.tool_calls import Call
    from reasonchat.tools.toolbox import OfferedTool


class Approval:
    def __init__(self, yes: bool, err: TextIO, tty: str | None = "/dev/tty") -> None:
        self.yes = yes
        self.err = err
        self.tty = tty
        self.always: set[tuple[str, str]] = set()  # (server, tool) allowed with `a` until `ask` ends

    async def __call__(self, call: Call, offered: OfferedTool) -> bool:
        if self.yes or (offered.server, offered.tool) in self.always:
            return True
        fd = self._terminal()
        if fd is None:
            self.err.write(f"reasonchat: declined {call_line(call)} — no terminal to ask on; --yes allows tool "
                           "calls\n")
            self.err.flush()
            return False
        try:
            _discard_typed_ahead(fd)
            os.write(fd, f"reasonchat: allow {call_line(call, 400)}? [y]es once, [a]lways, [N]o: ".encode())
            answer = (await _line(fd)).strip().lower()
        finally:
            os.close(fd)
        if answer in ("a", "always"):
            self.always.add((offered.server, offered.tool))
            return True
        return answer in ("y", "yes")

    def _terminal(self) -> int | None:
        """The controlling terminal, opened for reading and writing (None when there is none)."""
        if self.tty is None:
            return None
        try:
            return os.open(self.tty, os.O_RDWR | os.O_NOCTTY)
        except OSError:
            return None


def _discard_typed_ahead(fd: int) -> None:
    try:
        import termios
    except ImportError:  # (not POSIX: nothing to discard with)
        return
    with contextlib.suppress(termios.error, OSError):
        termios.tcflush(fd, termios.TCIFLUSH)


async def _line(fd: int) -> str:
    """A line typed on the terminal `fd`, read when it is there ("" at its end)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str] = loop.create_future()

    def readable() -> None:
        if not done.done():
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            done.set_result(data.decode("utf-8", "replace"))

    loop.add_reader(fd, readable)
    try:
        return await done
    finally:
        loop.remove_reader(fd)
