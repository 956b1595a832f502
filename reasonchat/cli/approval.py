"""How `ask` decides a tool call: `--yes` allows every call; else it asks on the terminal (`/dev/tty`, so it
works with the prompt on a pipe), and with no terminal it declines and says, in one line, that `--yes` allows.

The question is read without blocking the event loop (the terminal's descriptor is watched with
`add_reader`), so Ctrl+C and SIGTERM still stop everything at once while it waits.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING, Any, TextIO

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
        terminal = self._terminal()
        if terminal is None:
            self.err.write(f"reasonchat: declined {call_line(call)} — no terminal to ask on; --yes allows tool "
                           "calls\n")
            self.err.flush()
            return False
        with terminal:
            terminal.write(f"reasonchat: allow {call_line(call, 400)}? [y]es once, [a]lways, [N]o: ")
            terminal.flush()
            answer = (await _line(terminal)).strip().lower()
        if answer in ("a", "always"):
            self.always.add((offered.server, offered.tool))
            return True
        return answer in ("y", "yes")

    def _terminal(self) -> Any:
        if self.tty is None:
            return None
        try:
            return open(self.tty, "r+", encoding="utf-8", errors="replace")
        except OSError:
            return None


async def _line(terminal: Any) -> str:
    """A line typed on `terminal`, read when it is there ("" at its end)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str] = loop.create_future()
    fd = terminal.fileno()

    def readable() -> None:
        if not done.done():
            data = os.read(fd, 4096)
            done.set_result(data.decode("utf-8", "replace"))

    loop.add_reader(fd, readable)
    try:
        return await done
    finally:
        loop.remove_reader(fd)
