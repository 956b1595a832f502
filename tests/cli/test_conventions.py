"""The terminal's conventions on the command line: help for everything, and colour only where it is wanted."""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

import pytest

from reasonchat.cli import colour
from reasonchat.cli.main import main
from reasonchat.cli.parser import build_parser

ESC = "\x1b["


def all_parsers() -> list[argparse.ArgumentParser]:
    parser = build_parser()
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [parser, *subs[0].choices.values()]


def test_every_option_of_every_command_says_what_it_does() -> None:
    missing = []
    for parser in all_parsers():
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            if not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{parser.prog} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_help_lists_the_commands_with_a_line_each_and_two_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in ("ask", "history", "export", "stats", "presets", "models", "config", "demo-server"):
        assert f"    {command} " in out
    examples = out.split("examples:")[1]
    assert examples.count("reasonchat ") >= 2


@pytest.mark.parametrize(("argv", "said"), [
    (["--model", "ask", "bogus"], "invalid choice: 'bogus' (choose from 'ask', 'history', 'export', 'stats', "
                                  "'presets', 'models', 'config', 'tools', 'demo-server', 'completion')"),
    (["history", "--limit", "x"], "reasonchat history: argument --limit: invalid int value: 'x'"),
    (["history", "--bogus"], "unrecognized arguments: --bogus"),
    (["ask", "history"], None),  # a prompt that names a command is still a prompt
    (["--hel", "history"], "COMMAND"),  # help, however spelt, lists every command
    (["--help"], "COMMAND"),
    (["hello"], "invalid choice: 'hello' (choose from 'ask',"),
    (["--conversation", "x"], "argument --conversation: invalid int value: 'x'"),
    (["-ch", "ask"], "COMMAND"),
])
def test_a_usage_mistake_is_one_line_and_help_lists_every_command(
        argv: list[str], said: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    from reasonchat.cli.parser import parse

    if said is None:
        assert (parse(argv).command, parse(argv).prompt) == ("ask", "history")
        assert parse(["--demo", "-c"]).command is None and parse(["--demo", "-c"]).continue_last  # the TUI
        return
    with pytest.raises(SystemExit) as done:
        parse(argv)
    ours = capsys.readouterr()
    assert said in ours.out + ours.err
    if said == "COMMAND":
        assert done.value.code == 0 and "demo-server" in ours.out and "completion" in ours.out
    else:
        assert done.value.code == 2 and len(ours.err.strip().splitlines()) == 1


@pytest.mark.parametrize(("env", "flag", "coloured"), [
    ({"FORCE_COLOR": "1"}, False, True),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),  # NO_COLOR wins
    ({"FORCE_COLOR": "1"}, True, False),  # and --no-color over everything
    ({"FORCE_COLOR": "0"}, False, False),
    ({}, False, False),  # a pipe
])
def test_presets_history_stats_and_errors_follow_the_colour_conventions(
        cli: Any, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], flag: bool, coloured: bool) -> None:
    cli("ask", "--demo", "--model", "shape-deepseek", "hello")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    extra = ["--no-color"] if flag else []
    for args in (["presets"], ["history"], ["stats"]):
        result = cli(*args, *extra)
        assert (ESC in result.out) is coloured, args
    error = cli("export", "99", *extra)
    assert error.code == 2 and (ESC in error.err) is coloured


def test_ask_dims_the_reasoning_only_where_colour_is_wanted(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ESC not in cli("ask", "--demo", "--model", "shape-deepseek", "hi").err
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert f"{ESC}2m" in cli("ask", "--demo", "--model", "shape-deepseek", "hi").err
    assert ESC not in cli("ask", "--demo", "--model", "shape-deepseek", "--no-color", "hi").err
    rendered = cli("ask", "--demo", "--model", "shape-deepseek", "--render", "a table please")
    assert ESC in rendered.out  # FORCE_COLOR colours Rich's rendering into a pipe too
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in cli("ask", "--demo", "--model", "shape-deepseek", "--render", "a table please").out


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_dumb_terminal_gets_plain_text(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    colour.configure(False)
    assert colour.enabled(Tty())
    monkeypatch.setenv("TERM", "dumb")
    assert not colour.enabled(Tty())
    assert colour.paint("x", colour.BOLD, Tty()) == "x"
