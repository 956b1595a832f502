"""Where the config and the store live: platformdirs' folders for the platform, or all of it under
REASONCHAT_HOME."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from reasonchat import paths


def test_without_reasonchat_home_the_platforms_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("REASONCHAT_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.config_file() == platformdirs.user_config_path("reasonchat", appauthor=False) / "config.toml"
    assert paths.store_file() == platformdirs.user_data_path("reasonchat", appauthor=False) / "reasonchat.db"
    if sys.platform.startswith("linux"):  # the XDG rule, as README says
        assert paths.config_file() == tmp_path / "cfg" / "reasonchat" / "config.toml"
        assert paths.store_file() == tmp_path / "data" / "reasonchat" / "reasonchat.db"
        assert paths.state_file() == tmp_path / "data" / "reasonchat" / "state.toml"


def test_reasonchat_home_holds_everything(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    assert paths.config_file() == tmp_path / "config.toml"
    assert paths.store_file() == tmp_path / "reasonchat.db"
    assert paths.state_file() == tmp_path / "state.toml"


def test_a_private_folder_is_the_users_alone(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    paths.ensure_private_dir(folder)
    assert folder.is_dir() and folder.stat().st_mode & 0o077 == 0
