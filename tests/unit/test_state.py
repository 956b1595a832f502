from __future__ import annotations

from pathlib import Path

from reasonchat.state import State, load_state, save_state


def test_state_round_trip_and_damage(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.toml"
    assert load_state(path) == State()  # nothing remembered yet
    save_state(State(preset="bailian", model="qwen3-max", thinking=False), path)
    assert load_state(path) == State(preset="bailian", model="qwen3-max", thinking=False)
    assert [p.name for p in path.parent.iterdir()] == ["state.toml"]  # written atomically, no leftovers
    path.write_text("preset = [broken", encoding="utf-8")
    assert load_state(path) == State()  # a damaged file is no memory, never an error


def test_state_file_is_private_like_config_and_store(tmp_path: Path) -> None:
    path = tmp_path / "state.toml"
    save_state(State(preset="deepseek"), path)
    assert path.stat().st_mode & 0o777 == 0o600
