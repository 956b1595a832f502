"""Where the config and the store live: the XDG rule read without platformdirs gives platformdirs' answer."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from reasonchat import paths


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is read by hand on Linux only")
@pytest.mark.parametrize("config_home, data_home", [(None, None), ("/srv/cfg", "/srv/data"), ("", ""),
                                                    ("relative/cfg", "relative/data")])
def test_the_xdg_rule_agrees_with_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               config_home: str | None, data_home: str | None) -> None:
    monkeypatch.delenv("REASONCHAT_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable, value in (("XDG_CONFIG_HOME", config_home), ("XDG_DATA_HOME", data_home)):
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    assert paths.config_dir() == platformdirs.user_config_dir("reasonchat", appauthor=False)
    assert paths.data_dir() == platformdirs.user_data_dir("reasonchat", appauthor=False)
    assert Path(paths.store_file()).parent == Path(paths.data_dir())


def test_reasonchat_home_holds_everything(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    assert Path(paths.config_file()) == tmp_path / "config.toml"
    assert Path(paths.store_file()) == tmp_path / "reasonchat.db"
