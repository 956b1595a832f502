"""The install the README gives works: `pip install .` puts a `reasonchat` command next to the interpreter
(CI installs exactly so, in a fresh virtual environment), and it runs without the source tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import spawn_env

SCRIPT = Path(sys.executable).parent / "reasonchat"


@pytest.mark.skipif(not SCRIPT.exists(), reason="reasonchat is not installed in this environment")
def test_the_installed_command_runs_from_anywhere(tmp_path: Path, home: Path) -> None:
    env = spawn_env(home)
    version = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, cwd=tmp_path, env=env,
                             timeout=60, check=True)
    assert version.stdout.startswith("reasonchat ")
    presets = subprocess.run([str(SCRIPT), "presets", "--json"], capture_output=True, text=True, cwd=tmp_path,
                             env=env, timeout=60, check=True)
    assert '"deepseek"' in presets.stdout
    # the package data a regular install must carry: the example config `config init` writes
    init = subprocess.run([str(SCRIPT), "config", "init"], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=60, check=True)
    assert (home / "config.toml").exists(), init.stderr
