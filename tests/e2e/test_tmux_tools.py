"""A tool turn in a real terminal (tmux): the real `reasonchat`, the demo server over HTTP, real MCP servers
over stdio — the question asked, `y`, the call's line, the answer from its result; and every server process
gone after ctrl+q, after SIGTERM and after the terminal closes, even in the middle of a call."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from reasonchat.demo.server import DemoServer
from reasonchat.store.transcripts import TranscriptStore
from tests.cli.test_tools_cli import alive
from tests.e2e.test_tmux import Terminal, program

PROBE = Path(__file__).parent.parent / "fixtures" / "mcp" / "probe_server.py"



def configure(home: Path, server: DemoServer, pids: Path, model: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n[presets.local]\nbase_url = "{server.base_url}"\nmodel = "{model}"\n'
        'tool_reasoning = true\n'
        f'[mcp.demo]\ncommand = "{sys.executable}"\nargs = ["-m", "reasonchat.demo.mcp_server"]\n'
        f'[mcp.probe]\ncommand = "{sys.executable}"\nargs = ["{PROBE}", "--pidfile", "{pids}"]\napprove = "auto"\n',
        encoding="utf-8")


def gone(pids: list[int], within: float = 8.0) -> bool:
    end = time.monotonic() + within
    while alive(pids) and time.monotonic() < end:
        time.sleep(0.1)
    return not alive(pids)


def test_a_tool_turn_asks_runs_and_answers(home: Path, server: DemoServer, tmp_path: Path) -> None:
    pids = tmp_path / "server-pids"
    configure(home, server, pids, "demo@150")
    pidfile = tmp_path / "pid"
    term = Terminal(program(home, pidfile, after="; sleep 5"), pidfile=pidfile)
    try:
        term.wait_for("local · demo@150")
        term.type("What is 6*7?")
        term.keys("Enter")
        screen = term.wait_for("Allow this tool call?", timeout=30)
        assert "What is 6*7?" in screen, "the question shows over the conversation"
        screen = term.wait_for("a = allow calculate", timeout=10)  # (its keys answer once this line shows)
        assert "demo · calculate" in screen and '"expression": "6*7"' in screen
        term.keys("y")
        screen = term.wait_for("says the answer is 42", timeout=30)
        assert "⚙ demo · calculate" in screen and "— done" in screen and "Thought for" in screen
        term.keys("C-q")
        term.wait_for("exit=0", timeout=15)
    finally:
        term.close()
    servers = [int(p) for p in pids.read_text().split()]
    assert servers and gone(servers), "an MCP server outlived the app"
    with TranscriptStore(home / "reasonchat.db") as store:
        (answer,) = [m for m in store.messages(store.last_conversation_id() or 0) if m.role == "assistant"]
        assert answer.rounds[0].calls[0].result == "42" and "42" in answer.content


@pytest.mark.parametrize("how", ["sigterm", "terminal closed"])
def test_no_server_outlives_the_app_stopped_mid_call(home: Path, server: DemoServer, tmp_path: Path,
                                                     how: str) -> None:
    pids = tmp_path / "server-pids"
    configure(home, server, pids, "tools-call")
    pidfile = tmp_path / "pid"
    term = Terminal(program(home, pidfile), pidfile=pidfile)
    try:
        term.wait_for("local · tools-call")
        term.type(json.dumps({"tool": "wait", "arguments": {"seconds": 60}}))
        term.keys("Enter")
        term.wait_for("running", timeout=30)
        if how == "sigterm":
            os.kill(int(pidfile.read_text()), signal.SIGTERM)
            term.wait_for("exit=143", timeout=15)
        else:
            term.close(within=12.0)
    finally:
        term.tmux("kill-server")
    servers = [int(p) for p in pids.read_text().split()]
    assert servers and gone(servers), "an MCP server outlived the app"
    with TranscriptStore(home / "reasonchat.db") as store:
        (answer,) = [m for m in store.messages(store.last_conversation_id() or 0) if m.role == "assistant"]
        assert answer.status == "stopped" and answer.rounds[0].calls[0].state == "stopped"


def test_ask_asks_on_its_terminal(home: Path, server: DemoServer, tmp_path: Path) -> None:
    """Without --yes, `ask` asks on its terminal (/dev/tty), and the answer goes on from the decision."""
    pids = tmp_path / "server-pids"
    configure(home, server, pids, "demo@0")
    pidfile = tmp_path / "pid"
    term = Terminal(program(home, pidfile, "ask 'what is 6*7?'", after="; sleep 5"), pidfile=pidfile)
    try:
        screen = term.wait_for("[y]es once, [a]lways, [N]o:", timeout=30)
        assert 'reasonchat: allow demo · calculate({"expression": "6*7"})?' in screen
        term.type("y")
        term.keys("Enter")
        screen = term.wait_for("exit=0", timeout=30)
        assert "says the answer is **42**" in screen
        assert '⚙ demo · calculate({"expression": "6*7"}) → 42' in screen
    finally:
        term.close()


def test_ask_does_not_take_what_was_typed_before_it_asked(home: Path, server: DemoServer, tmp_path: Path) -> None:
    """A "y" and Enter typed while the servers start (before any question was shown) allow nothing: `ask`
    discards them and waits for an answer to the question it shows."""
    pids = tmp_path / "server-pids"
    configure(home, server, pids, "demo@0")
    pidfile = tmp_path / "pid"
    term = Terminal(program(home, pidfile, "ask 'what is 6*7?'", after="; sleep 5"), pidfile=pidfile)
    try:
        term.type("y")
        term.keys("Enter")  # (typed ahead: the servers take a second or more to start)
        term.wait_for("[y]es once, [a]lways, [N]o:", timeout=30)
        time.sleep(1.0)
        screen = term.screen()
        assert "exit=" not in screen and "→ 42" not in screen, "a typed-ahead y allowed the call"
        term.type("n")
        term.keys("Enter")
        screen = term.wait_for("exit=0", timeout=30)
        assert "declined" in screen
    finally:
        term.close()
