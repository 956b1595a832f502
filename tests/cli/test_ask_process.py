"""The real program in a subprocess: stdin prompts, exit codes, signals, SIGKILL mid-stream, a terminal."""

from __future__ import annotations

import os
import pty
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer
from tests.conftest import drain, interruptible, spawn_env


def test_prompt_from_stdin_dash_and_implicit(run_process: Any) -> None:
    piped = run_process("ask", "--demo", "--model", "shape-deepseek", "-", stdin="piped question\n")
    assert piped.code == 0
    assert "piped question" in piped.out
    implicit = run_process("ask", "--demo", "--model", "shape-deepseek", stdin="implicit one")
    assert implicit.code == 0
    assert "implicit one" in implicit.out


def test_usage_errors_are_one_line_exit_2(run_process: Any, home: Path) -> None:
    for args, says in [
        (("ask", "--demo", "-"), "no prompt"),
        (("ask", "--bogus", "x"), "unrecognized arguments: --bogus"),
        (("ask", "--demo", "--conversation", "42", "hi"), "no conversation 42"),
        (("ask", "--demo", "-c", "hi"), "no earlier conversation"),
        (("export", "last"), "no conversation to export"),
        (("ask", "--preset", "nope", "hi"), "unknown preset 'nope'"),
    ]:
        result = run_process(*args, stdin="")
        assert result.code == 2, (args, result.err)
        assert result.err.count("\n") == 1, args
        assert says in result.err, args
        assert "Traceback" not in result.err, args
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[presets.deepseek]\nmodle = 'x'\n", encoding="utf-8")
    bad = run_process("ask", "hi")
    assert bad.code == 2
    assert bad.err.count("\n") == 1
    assert "did you mean 'model'" in bad.err


def test_tui_without_a_terminal_points_to_ask(run_process: Any) -> None:
    result = run_process("--demo", stdin="")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "reasonchat ask" in result.err


def test_continue_sends_answers_without_reasoning(run_process: Any, cli: Any, server: DemoServer) -> None:
    first = cli("ask", "--json", "--system", "be brief", "--base-url", server.base_url, "--model", "shape-deepseek",
                "q1")
    second = cli("ask", "--json", "-c", "--base-url", server.base_url, "--model", "shape-deepseek", "q2")
    third = cli("ask", "--json", "--conversation", str(first.json()["conversation_id"]), "--base-url",
                server.base_url, "--model", "shape-deepseek", "q3")
    assert first.json()["conversation_id"] == second.json()["conversation_id"] == third.json()["conversation_id"]
    body = server.chat_bodies()[1]
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user"]
    assert body["messages"][2] == {"role": "assistant", "content": first.json()["content"]}
    assert all("reasoning_content" not in m and "reasoning" not in m for m in body["messages"])
    assert len(server.chat_bodies()[2]["messages"]) == 6


def test_no_save_leaves_no_trace(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--json", "--no-save", "--base-url", server.base_url, "--model", "shape-deepseek", "q")
    assert result.json()["conversation_id"] is None
    assert result.json()["message_id"] is None
    assert "no conversations yet" in cli("history").err


def test_reasoning_is_dimmed_on_a_terminal(home: Path) -> None:
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "reasonchat", "ask", "--demo", "--model", "shape-deepseek", "hi"],
                            stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL, env=spawn_env(home))
    os.close(follower)
    err = drain(leader)
    out = proc.stdout.read() if proc.stdout else b""
    assert proc.wait(timeout=30) == 0
    os.close(leader)
    assert b"\x1b[2m" in err
    assert b"\x1b[0m" in err
    assert b"\x1b" not in out


class Reader:
    """Collects a pipe's output on a thread."""

    def __init__(self, stream: Any) -> None:
        self.data = b""
        self.thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self.thread.start()

    def _run(self, stream: Any) -> None:
        while chunk := os.read(stream.fileno(), 65536):
            self.data += chunk

    def wait_for(self, size: int, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while len(self.data) < size and time.monotonic() < end:
            time.sleep(0.05)
        assert len(self.data) >= size, "the stream did not start"


def slow_ask(home: Path, server: DemoServer, *extra: str) -> tuple[subprocess.Popen[bytes], Reader]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "reasonchat", "ask", "--base-url", server.base_url, "--model", "bench-4000@150",
         *extra, "a slow question"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=spawn_env(home),
        preexec_fn=interruptible)
    reader = Reader(proc.stderr)
    reader.wait_for(2000)
    return proc, reader


def stored(home: Path) -> sqlite3.Row:
    from reasonchat.store import TranscriptStore

    TranscriptStore(home / "reasonchat.db").close()  # opening recovers rows left by a dead process
    conn = sqlite3.connect(home / "reasonchat.db")
    conn.row_factory = sqlite3.Row
    row = conn.execute("SELECT * FROM messages WHERE role = 'assistant' ORDER BY id DESC LIMIT 1").fetchone()
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    return row


def test_sigkill_mid_stream_keeps_what_was_printed_and_saved(home: Path, server: DemoServer,
                                                              run_process: Any) -> None:
    """kill -9 mid-answer: the row is recovered as interrupted and what it holds is the start of what was
    printed. (How much a kill loses is measured by `python -m benchmarks.crash_loss`, not asserted here.)"""
    proc, reader = slow_ask(home, server)
    reader.wait_for(6000)  # well past the first flush
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    row = stored(home)
    assert row["status"] == "interrupted"
    saved = row["reasoning"]
    assert saved
    assert reader.data.decode("utf-8", "replace").startswith(saved[:100])
    export = run_process("export", "last")
    assert export.code == 0
    assert saved[:200] in export.out
    assert "Interrupted" in export.out


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_saves_as_stopped(home: Path, server: DemoServer, sig: int, code: int) -> None:
    proc, reader = slow_ask(home, server)
    proc.send_signal(sig)
    assert proc.wait(timeout=15) == code
    reader.thread.join(timeout=5)
    row = stored(home)
    assert row["status"] == "stopped"
    assert row["reasoning"]
    assert b"stopped \xe2\x80\x94 what arrived is saved" in reader.data
    assert b"Traceback" not in reader.data


def test_megabyte_prompt_from_stdin(run_process: Any) -> None:
    prompt = "a long paste 中文 " * 70_000  # ~1.3 MB
    result = run_process("ask", "--demo", "--model", "demo@0", "--json", "-", stdin=prompt)
    assert result.code == 0
    assert result.json()["finish_reason"] == "stop"
    listed = run_process("history", "--json")
    assert listed.json()[0]["title"].startswith("a long paste 中文")
    assert len(listed.json()[0]["title"]) <= 60
