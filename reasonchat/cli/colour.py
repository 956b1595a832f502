"""Whether our own output (`ask`, `history`, `presets`, `stats`, errors) may be coloured, by the conventions
terminal users set once and expect every program to follow.

In order: `--no-color` on the command line; `NO_COLOR` (no-color.org: any non-empty value) turns colour
off; `FORCE_COLOR` (force-color.org: non-empty and not "0") turns it on even into a pipe; `TERM=dumb` is a
terminal that shows escape sequences as text, so plain; otherwise colour only on a terminal. Model text is
never coloured by the model (sanitize.py strips its sequences); this decides only about ours. The TUI keeps
Textual's own handling of the same variables.
"""

from __future__ import annotations

import os
from typing import TextIO

BOLD, DIM, RED, YELLOW, GREEN, RESET = "\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[0m"

_flag_off = False  # --no-color, set once by the command line


def configure(no_color: bool) -> None:
    """The command line's `--no-color`, for this run."""
    global _flag_off
    _flag_off = no_color


def enabled(stream: TextIO) -> bool:
    if _flag_off or os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force.strip().lower() not in ("", "0", "false", "no"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real stream
        return False


def paint(text: str, style: str, stream: TextIO) -> str:
    """`text` in `style` when `stream` may be coloured, else as it is."""
    return f"{style}{text}{RESET}" if text and enabled(stream) else text
