"""Where reasonchat keeps its files.

One place decides every path so that `REASONCHAT_HOME` can isolate a whole installation (tests, demos,
a second profile) by setting a single variable. Without it, platformdirs says where a user's config and
data live on each platform (on Linux the XDG rule: `$XDG_CONFIG_HOME/reasonchat`, else
`~/.config/reasonchat`, and `$XDG_DATA_HOME/reasonchat`, else `~/.local/share/reasonchat`).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "reasonchat"


def home_override() -> Path | None:
    """The `REASONCHAT_HOME` directory, if set: config and data then both live under it."""
    value = os.environ.get("REASONCHAT_HOME", "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    return home_override() or platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    return home_override() or platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    return config_dir() / "config.toml"


def state_file() -> Path:
    """Remembered state (last preset and model): small, rewritten often, never hand-edited."""
    return data_dir() / "state.toml"


def store_file() -> Path:
    return data_dir() / "reasonchat.db"


def exports_dir() -> Path:
    """Where ctrl+e writes when `[ui] export_dir` says nothing: a folder of the user's documents, not
    wherever the app happened to be started."""
    return platformdirs.user_documents_path() / APP_NAME


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) readable by the user only: it holds private conversations."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
