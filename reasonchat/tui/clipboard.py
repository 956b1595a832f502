"""Copying, and saying only what is known about it.

Textual copies by asking the terminal (an OSC 52 sequence), and whether the terminal did it cannot be known:
many refuse (tmux by default, most terminals over SSH). So a copy also goes to the system's clipboard tool
where there is one for the session (wl-copy under Wayland, xclip or xsel under X, pbcopy on macOS, clip.exe
under WSL), and where there is none into a file, and the notice says which — never "copied" when all that
happened was a request the terminal may have ignored.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from reasonchat import paths
from reasonchat.atomic import write_atomically

FILE = "clipboard.txt"  # in the data dir, private like the rest of it


def tool() -> list[str] | None:
    """The command that puts its stdin on this session's clipboard, if the machine has one."""
    candidates: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    candidates.append(["clip.exe"])  # WSL: Windows' own, on the PATH there
    return next((c for c in candidates if shutil.which(c[0])), None)


def copy_elsewhere(text: str) -> str:
    """Put `text` where it can be pasted from besides the terminal's clipboard (blocking: run it on a worker
    thread); returns what the notice says of it."""
    command = tool()
    if command is not None:
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), timeout=5, capture_output=True)
        except (OSError, subprocess.TimeoutExpired):
            done = None
        if done is not None and done.returncode == 0:
            return f"copied to the clipboard ({command[0]})"
    path = Path(paths.data_dir()) / FILE
    try:
        paths.ensure_private_dir(path.parent)
        write_atomically(path, text, mode=0o600)
    except OSError as exc:
        return f"asked the terminal to copy it (it may not allow that); {path} could not be written: {exc.strerror}"
    return f"asked the terminal to copy it (it may not allow that), and put it in {path}"
