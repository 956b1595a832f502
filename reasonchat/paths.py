"""Where reasonchat keeps its files.

One place decides every path so that `REASONCHAT_HOME` can isolate a whole installation (tests, demos,
a second profile) by setting a single variable.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reasonchat"


def home_override() -> Path | None:
    """The `REASONCHAT_HOME` directory, if set: config and data then both live under it."""
    value = os.environ.get("REASONCHAT_HOME", "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = home_override()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    home = home_override()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def state_file() -> Path:
    """Remembered state (last preset and model): small, rewritten often, never hand-edited."""
    return data_dir() / "state.toml"


def store_file() -> Path:
    return data_dir() / "reasonchat.db"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user only: it holds private conversations."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
