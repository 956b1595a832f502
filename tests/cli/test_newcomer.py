"""What a newcomer's first hour found on the command line (issue "a newcomer's first hour"): a bad name is said the
same way by every command, and a continued conversation goes on with the provider it was held with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer


@pytest.mark.parametrize("command", [[], ["ask", "q"], ["models"], ["ask", "--compare", "nope,demo", "q"],
                                     ["--compare", "demo,nope"]])
def test_an_unknown_preset_is_the_same_usage_error_in_every_command(run_process: Any, command: list[str]) -> None:
    """The TUI too: before any screen, exit 2 — not a TUI on "nope · (first served)" blaming deepseek's key."""
    args = command if "--compare" in command else ["--preset", "nope", *command]
    done = run_process(*args)
    assert done.code == 2, done.err
    assert done.err.strip().splitlines() == [done.err.strip()]  # one line
    assert "unknown preset 'nope'" in done.err and "deepseek" not in done.err.split("—")[0]


def test_ask_c_continues_on_the_provider_and_model_the_conversation_used(cli: Any, home: Path) -> None:
    first = cli("ask", "--json", "--demo", "--model", "shape-deepseek@0", "a first question")
    assert first.code == 0, first.err
    follow = cli("ask", "--json", "-c", "And a follow-up?")  # no provider named: the conversation's own
    assert follow.code == 0, follow.err
    record = follow.json()
    assert (record["preset"], record["model"]) == ("demo", "shape-deepseek@0")
    assert record["conversation_id"] == first.json()["conversation_id"]
    again = cli("ask", "--json", "-c", "--model", "shape-volcano@0", "And another?")  # the command line wins
    assert (again.json()["preset"], again.json()["model"]) == ("demo", "shape-volcano@0")


def test_ask_c_on_a_conversation_with_an_ad_hoc_provider_asks_for_its_url(cli: Any, server: DemoServer) -> None:
    assert cli("ask", "--base-url", server.base_url, "--model", "shape-deepseek", "q").code == 0
    done = cli("ask", "-c", "more?")
    assert done.code == 2 and "--base-url" in done.err
    assert cli("ask", "-c", "--base-url", server.base_url, "--model", "shape-deepseek", "more?").code == 0


def test_presets_marks_what_a_bare_reasonchat_uses(cli: Any, home: Path) -> None:
    from reasonchat.state import State, save_state

    marked = [line for line in cli("presets").out.splitlines() if line.startswith("*")]
    assert marked and marked[0].split()[1] == "deepseek"  # nothing remembered: the default preset
    save_state(State(preset="demo", model="demo"))  # the TUI remembers the last preset used
    marked = [line for line in cli("presets").out.splitlines() if line.startswith("*")]
    assert [line.split()[1] for line in marked] == ["demo"]
    assert [p["name"] for p in cli("presets", "--json").json() if p["used"]] == ["demo"]


@pytest.mark.parametrize(("table", "said"), [
    ('[keys]\nhistory = "f55"\n', "keys.history: 'f55' is not a key — did you mean 'f5'?"),
    ('[keys]\nhistory = "ctrl+gg"\n', "keys.history: 'ctrl+gg' is not a key — did you mean 'ctrl+g'?"),
    ('[keys]\nhistory = "ctrl+q"\n', "keys.history: 'ctrl+q' is quit's key too"),
    ('[keys]\nregenerate = "enter"\n', "keys.regenerate: 'enter' is the app's key for sending"),
    ('[keys]\nhistroy = "f4"\n', "unknown action 'histroy' — did you mean 'history'?"),
    ('[ui]\ntheme = "nordd"\n', "ui.theme 'nordd' is not a theme — did you mean 'nord'?"),
    ('[ui]\nmath = "unicod"\n', "ui.math must be one of unicode, source, not 'unicod' — did you mean 'unicode'?"),
])
def test_config_check_says_what_the_tui_would(cli: Any, home: Path, table: str, said: str) -> None:
    """Everything the app checks of the config, `config check` checks: key names, clashes, themes."""
    home.mkdir(parents=True)
    (home / "config.toml").write_text(table, encoding="utf-8")
    done = cli("config", "check")
    assert done.code == 2 and said in done.err, done.err
    assert cli("ask", "--demo", "q").code == 2  # and every command refuses it the same way


def test_keys_that_are_keys_pass(cli: Any, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text('[keys]\nregenerate = "f5"\neffort = "f6,ctrl+g"\nhistory = "alt+h"\n'
                                      '[ui]\ntheme = "nord"\n', encoding="utf-8")
    assert cli("config", "check").code == 0
