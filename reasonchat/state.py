"""Remembered state: the last preset and model used, so the next start picks up where the user left off.

Kept out of config.toml on purpose — the program rewrites it, the user never needs to — and written
atomically with tomli-w so a crash mid-write leaves the old file, never half of a new one.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

from reasonchat import paths
from reasonchat.atomic import write_atomically


@dataclass(frozen=True)
class State:
    preset: str = ""
    model: str = ""
    thinking: bool = True
    effort: str = ""  # the effort key's level ("" = the preset's own)
    theme: str = ""  # the theme last chosen in the command palette


def load_state(path: Path | None = None) -> State:
    """The remembered state; a missing or damaged file is simply no memory."""
    path = path or paths.state_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return State()
    return State(
        preset=str(data.get("preset", "")),
        model=str(data.get("model", "")),
        thinking=bool(data.get("thinking", True)),
        effort=str(data.get("effort", "")),
        theme=str(data.get("theme", "")),
    )


def save_state(state: State, path: Path | None = None) -> None:
    path = path or paths.state_file()
    paths.ensure_private_dir(path.parent)
    import tomli_w  # only a switch writes state

    write_atomically(path, tomli_w.dumps(asdict(state)), mode=0o600)  # private, like the config and store
