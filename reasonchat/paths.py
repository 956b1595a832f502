"""Where reasonchat keeps its files.

One place decides every path so that `REASONCHAT_HOME` can isolate a whole installation (tests, demos,
a second profile) by setting a single variable. Paths are strings (os.path), not `pathlib.Path`: importing
pathlib costs every command 3 ms, and `presets` and `history` have 17 ms for everything they do (P8' in
benchmarks/README.md). Everything that takes a path also takes a `Path`.
"""

from __future__ import annotations

import os
import sys

APP_NAME = "reasonchat"
_XDG = {"config": ("XDG_CONFIG_HOME", "~/.config"), "data": ("XDG_DATA_HOME", "~/.local/share")}


def home_override() -> str | None:
    """The `REASONCHAT_HOME` directory, if set: config and data then both live under it."""
    value = os.environ.get("REASONCHAT_HOME", "").strip()
    return os.path.expanduser(value) if value else None


def config_dir() -> str:
    return home_override() or _user_dir("config")


def data_dir() -> str:
    return home_override() or _user_dir("data")


def _user_dir(kind: str) -> str:
    """platformdirs' `user_config_dir` / `user_data_dir` for this app. On Linux and the BSDs that is the XDG
    rule — $XDG_CONFIG_HOME or $XDG_DATA_HOME when it is an absolute path, else ~/.config or ~/.local/share
    — read here without importing platformdirs, which costs every command 8 ms (pathlib, shutil, tempfile,
    random). tests/unit/test_paths.py checks the two agree."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and "ANDROID_DATA" not in os.environ:
        variable, default = _XDG[kind]
        base = os.environ.get(variable, "")
        return os.path.join(base if os.path.isabs(base) else os.path.expanduser(default), APP_NAME)
    import platformdirs

    found = platformdirs.user_config_dir if kind == "config" else platformdirs.user_data_dir
    return found(APP_NAME, appauthor=False)


def config_file() -> str:
    return os.path.join(config_dir(), "config.toml")


def state_file() -> str:
    """Remembered state (last preset and model): small, rewritten often, never hand-edited."""
    return os.path.join(data_dir(), "state.toml")


def store_file() -> str:
    return os.path.join(data_dir(), "reasonchat.db")


def ensure_private_dir(path: str | os.PathLike[str]) -> None:
    """Create `path` (and parents) readable by the user only: it holds private conversations."""
    os.makedirs(path, mode=0o700, exist_ok=True)
