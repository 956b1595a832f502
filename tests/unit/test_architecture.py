"""Rules DESIGN.md sets on the code's shape: import contracts (import-linter) and what a fresh interpreter loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                          capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_the_import_contracts_hold() -> None:
    """The contracts in pyproject.toml ([tool.importlinter]): domain code never imports Textual or the TUI,
    directly or through anything it imports."""
    from importlinter.cli import lint_imports

    root = Path(__file__).resolve().parents[2]
    assert lint_imports(config_filename=str(root / "pyproject.toml")) == 0


def test_importing_the_package_and_cli_is_light() -> None:
    loaded = modules_after("import reasonchat, reasonchat.cli.main")
    assert not {"openai", "textual", "sqlite3", "argparse"} & loaded  # every command starts light
