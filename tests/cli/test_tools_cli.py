"""`ask` with tools and `reasonchat tools`, as the real program in a subprocess: the demo server (in this
process, on loopback, holding the client to DeepSeek's rule) and real MCP servers over stdio."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reasonchat.demo.server import DemoServer
from reasonchat.store.transcripts import TranscriptStore
from tests.conftest import Result, interruptible, spawn_env, tool

PROBE = Path(__file__).parent.parent / "fixtures" / "mcp" / "probe_server.py"


def configure(home: Path, server: DemoServer, model: str = "demo@0", extra: str = "", probe: str = "") -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "ds"\n[presets.ds]\nbase_url = "{server.base_url}"\nmodel = "{model}"\n'
        'tool_reasoning = true\n'
        f'[presets.plain]\nbase_url = "{server.base_url}"\nmodel = "{model}"\ntools = false\n'
        f'[mcp.demo]\ncommand = "{sys.executable}"\nargs = ["-m", "reasonchat.demo.mcp_server"]\n'
        f'[mcp.time]\ncommand = "{tool("mcp-server-time")}"\nauto_approve = ["get_current_time"]\n'
        + (f'[mcp.probe]\ncommand = "{sys.executable}"\nargs = ["{PROBE}"{probe}]\ntimeout = 20\n' if probe else "")
        + extra, encoding="utf-8")


def ask(home: Path, *args: str, timeout: float = 60) -> Result:
    """`reasonchat ask …` with no terminal at all (a new session: no /dev/tty), as from a script or cron."""
    done = subprocess.run([sys.executable, "-m", "reasonchat", "ask", *args], capture_output=True, text=True,
                          timeout=timeout, env=spawn_env(home), start_new_session=True, stdin=subprocess.DEVNULL)
    return Result(done.returncode, done.stdout, done.stderr)


def test_yes_runs_the_calls_and_the_answer_uses_their_results(home: Path, server: DemoServer) -> None:
    configure(home, server)
    done = ask(home, "--yes", "What time is it in Asia/Tokyo, and what is 12*(3+4)?")
    assert done.code == 0, done.err
    assert "By the clock it is **20" in done.out and "**84**" in done.out
    lines = [line for line in done.err.splitlines() if line.startswith("⚙")]
    assert lines == [lines[0], lines[1]] and "demo · get_time" in lines[0] and "Asia/Tokyo" in lines[0]
    assert lines[1].startswith('⚙ demo · calculate({"expression": "12*(3+4)"}) → 84')
    first, second = server.chat_bodies()
    assert {t["function"]["name"] for t in first["tools"]} >= {"get_time", "calculate", "get_current_time"}
    sent = second["messages"]
    assert sent[1]["role"] == "assistant" and "reasoning_content" in sent[1]
    assert [m["tool_call_id"] for m in sent[2:4]] == [c["id"] for c in sent[1]["tool_calls"]]


def test_json_lists_the_calls_in_order(home: Path, server: DemoServer) -> None:
    configure(home, server)
    done = ask(home, "--yes", "--json", "what is 6*7?")
    record = json.loads(done.out)
    assert record["tools"] == [{"server": "demo", "name": "calculate", "arguments": {"expression": "6*7"},
                                "approved": True, "result": "42", "error": None}]
    assert "**42**" in record["content"]


def test_without_a_terminal_a_call_is_declined_and_stderr_says_yes_allows(home: Path, server: DemoServer) -> None:
    configure(home, server)
    done = ask(home, "--json", "what is 6*7?")
    assert done.code == 0
    said = [line for line in done.err.splitlines() if "declined" in line]
    assert said[0] == ('reasonchat: declined demo · calculate({"expression": "6*7"}) — no terminal to ask on; '
                       "--yes allows tool calls")
    record = json.loads(done.out)
    assert record["tools"][0]["approved"] is False and "declined" in record["content"]
    told = server.chat_bodies()[1]["messages"][-1]
    assert told["role"] == "tool" and "declined" in told["content"]


def test_auto_approved_tools_run_without_asking(home: Path, server: DemoServer) -> None:
    """The reference time server's clock is in auto_approve: it runs with no --yes and no terminal."""
    configure(home, server)
    (home / "config.toml").write_text((home / "config.toml").read_text().replace(
        '"reasonchat.demo.mcp_server"]\n', '"reasonchat.demo.mcp_server"]\nenabled = false\n'))
    done = ask(home, "--json", "What time is it in Europe/Paris?")
    record = json.loads(done.out)
    assert record["tools"][0]["server"] == "time" and record["tools"][0]["approved"] is True
    assert json.loads(record["tools"][0]["result"])["timezone"] == "Europe/Paris"


def test_no_tools_offers_none_and_a_preset_without_tools_is_never_offered_them(home: Path,
                                                                                server: DemoServer) -> None:
    configure(home, server)
    assert ask(home, "--no-tools", "what is 6*7?").code == 0
    assert ask(home, "--preset", "plain", "what is 6*7?").code == 0
    assert all("tools" not in body for body in server.chat_bodies())


def test_continuing_a_tool_conversation_sends_its_reasoning_back_every_time(home: Path, server: DemoServer) -> None:
    """DeepSeek's rule, which the demo server enforces with its 400: after `ask -c` the tool turn goes back whole."""
    configure(home, server)
    assert ask(home, "--yes", "what is 6*7?").code == 0
    again = ask(home, "-c", "--yes", "and what is 2**10?")
    assert again.code == 0, again.err
    assert ask(home, "-c", "--no-tools", "thanks").code == 0
    last = server.chat_bodies()[-1]["messages"]
    turns = [m for m in last if m["role"] == "assistant"]
    assert len(turns) == 4 and all("reasoning_content" in m for m in turns)
    # and without the preset's rule, the demo server refuses exactly as DeepSeek does
    (home / "config.toml").write_text((home / "config.toml").read_text().replace("tool_reasoning = true\n", ""))
    refused = ask(home, "-c", "once more")
    assert refused.code == 1 and "reasoning_content in the thinking mode must be passed back" in refused.err


def test_the_round_limit_stops_the_answer_saved_with_exit_1(home: Path, server: DemoServer) -> None:
    configure(home, server, model="tools-loop", extra="[tools]\nmax_rounds = 2\n")
    done = ask(home, "--yes", "time?")
    assert done.code == 1
    assert "more than [tools] max_rounds = 2" in done.err
    assert len(server.chat_bodies()) == 3
    with TranscriptStore(home / "reasonchat.db") as store:
        (answer,) = [m for m in store.messages(store.last_conversation_id() or 0) if m.role == "assistant"]
        assert answer.status == "interrupted" and len(answer.rounds) == 3


@pytest.mark.parametrize(("model", "said"), [("tools-unknown", "there is no tool named 'no_such_tool'"),
                                              ("tools-bad-args", "not valid JSON")])
def test_a_wrong_call_is_told_to_the_model_and_the_answer_goes_on(home: Path, server: DemoServer, model: str,
                                                                  said: str) -> None:
    configure(home, server, model=model)
    done = ask(home, "--yes", "--json", "go")
    assert done.code == 0, done.err
    record = json.loads(done.out)
    assert said in record["tools"][0]["error"] and record["finish_reason"] == "stop"
    assert said in server.chat_bodies()[1]["messages"][-1]["content"]


def test_a_tool_call_written_as_text_names_the_vllm_flags(home: Path, server: DemoServer) -> None:
    configure(home, server, model="tools-text")
    done = ask(home, "--yes", "go")
    assert done.code == 0
    assert "--enable-auto-tool-choice --tool-call-parser" in done.err


def test_a_server_that_does_not_start_is_one_line_and_the_others_serve(home: Path, server: DemoServer) -> None:
    configure(home, server, extra='[mcp.broken]\ncommand = "no-such-mcp-server"\n')
    done = ask(home, "--yes", "what is 6*7?")
    assert done.code == 0 and "**42**" in done.out
    assert "reasonchat: tools: broken did not start — 'no-such-mcp-server' was not found" in done.err


def test_tools_lists_each_server_and_its_tools(home: Path, server: DemoServer) -> None:
    configure(home, server, extra='[mcp.broken]\ncommand = "no-such-mcp-server"\n')
    done = subprocess.run([sys.executable, "-m", "reasonchat", "tools", "--json"], capture_output=True, text=True,
                          env=spawn_env(home), timeout=60)
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert done.returncode == 1, "a server did not start"
    assert rows["demo"]["status"] == "started" and [t["name"] for t in rows["demo"]["tools"]] == ["get_time",
                                                                                                   "calculate"]
    assert [t["asks"] for t in rows["time"]["tools"]] == [False, True]
    assert rows["broken"]["status"] == "failed" and "not found" in rows["broken"]["reason"]
    text = subprocess.run([sys.executable, "-m", "reasonchat", "tools"], capture_output=True, text=True,
                          env=spawn_env(home), timeout=60).stdout
    assert "⚙ get_current_time — Get current time in a specific timezone [runs without asking]" in text
    assert "broken  no-such-mcp-server  did not start" in text


def alive(pids: list[int]) -> list[int]:
    out = []
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        try:  # a zombie is gone in all but name
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.append(pid)
    return out


@pytest.mark.parametrize("how", ["finished", "ctrl+c", "sigterm"])
def test_every_server_process_ends_with_ask(home: Path, server: DemoServer, tmp_path: Path, how: str) -> None:
    pids = tmp_path / "pids"
    configure(home, server, model="tools-call", probe=f', "--pidfile", "{pids}"')
    question = json.dumps({"tool": "wait", "arguments": {"seconds": 0.1 if how == "finished" else 30}})
    child = subprocess.Popen([sys.executable, "-m", "reasonchat", "ask", "--yes", question], env=spawn_env(home),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                             preexec_fn=interruptible)
    if how != "finished":
        for _ in range(400):  # until the call is running
            if any(r.path.endswith("/chat/completions") for r in server.requests) and pids.exists():
                break
            time.sleep(0.05)
        time.sleep(1.0)
        child.send_signal(signal.SIGINT if how == "ctrl+c" else signal.SIGTERM)
    _out, err = child.communicate(timeout=60)
    assert child.returncode == {"finished": 0, "ctrl+c": 130, "sigterm": 143}[how], err
    started = [int(p) for p in pids.read_text().split()]
    assert len(started) == 1
    deadline = time.monotonic() + 5
    while alive(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive(started) == [], "a server outlived ask"
    if how != "finished":
        with TranscriptStore(home / "reasonchat.db") as store:
            (answer,) = [m for m in store.messages(store.last_conversation_id() or 0) if m.role == "assistant"]
            assert answer.status == "stopped" and answer.rounds[0].calls[0].state == "stopped"


def test_calls_are_searched_and_counted(home: Path, server: DemoServer) -> None:
    configure(home, server)
    assert ask(home, "--yes", "What time is it in Asia/Tokyo, and what is 12*(3+4)?").code == 0
    assert ask(home, "--yes", "what is 6*7?").code == 0

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "reasonchat", *args], capture_output=True, text=True,
                              env=spawn_env(home), timeout=60).stdout

    hits = json.loads(run("history", "--search", "Asia/Tokyo", "--json"))
    assert hits and hits[0]["role"] == "assistant"
    only_in_calls = json.loads(run("history", "--search", "expression", "--json"))  # an argument's name
    assert len(only_in_calls) == 2 and "[expression]" in only_in_calls[0]["snippet"]
    (record,) = json.loads(run("stats", "--json"))
    assert record["tool_calls"] == 3 and record["turns"] == 2
    assert "CALLS" in run("stats")
