"""Readers that leave early (`… | head -1`) and Ctrl+C before an answer starts: what arrived is saved, the exit
code follows the shell's convention (141 for a closed pipe), and nothing is printed but our own lines."""

from __future__ import annotations

import io
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reasonchat.core.events import AnswerDelta, Finished
from reasonchat.core.reply import Reply
from reasonchat.demo.server import DemoServer
from reasonchat.store import TranscriptStore
from tests.conftest import interruptible, spawn_env

PROGRAM = f"{shlex.quote(sys.executable)} -m reasonchat"


# Reads its first line and leaves, having read no more than one buffer (GNU head may drain far more).
HEAD_1 = f"""{shlex.quote(sys.executable)} -c 'import sys; print(sys.stdin.readline(), end="")'"""


def piped(home: Path, command: str, reader: str = HEAD_1) -> tuple[int, str, str]:
    """Run `reasonchat COMMAND | READER` in bash; (reasonchat's exit code, what the reader printed, stderr)."""
    script = f'{PROGRAM} {command} 2>"$ERR" | {reader}; exit "${{PIPESTATUS[0]}}"'
    err = home.parent / "stderr.txt"
    done = subprocess.run(["bash", "-c", script], capture_output=True, timeout=60, env=spawn_env(home, ERR=str(err)))
    out = done.stdout.decode("utf-8", errors="replace").rstrip("\ufffd")  # `head -c` may cut a character
    return done.returncode, out, err.read_text(encoding="utf-8") if err.exists() else ""


def last_answer(home: Path) -> sqlite3.Row:
    with sqlite3.connect(home / "reasonchat.db") as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM messages WHERE role = 'assistant' ORDER BY id DESC LIMIT 1").fetchone()
    assert row is not None
    return row


def test_ask_into_a_reader_that_leaves_saves_what_arrived_as_stopped(home: Path, server: DemoServer) -> None:
    code, out, err = piped(home, f"ask --base-url {server.base_url} --model bench-1600@800 --hide-reasoning q")
    assert code == 141
    assert err == ""  # no traceback, no "Exception ignored", no message: the reader chose to stop
    row = last_answer(home)
    assert row["status"] == "stopped"
    assert row["content"].startswith(out.rstrip("\n"))
    assert out.strip()
    from reasonchat.demo.scenarios import resolve

    assert len(row["content"]) < len("".join(resolve("bench-1600@800", []).plan.answer))  # it did stop early


@pytest.mark.parametrize("reader", ["head -1", "head -c 10"])
@pytest.mark.parametrize("model", ["shape-deepseek@0", "bench-40000@0"])
def test_an_unpaced_stream_into_a_reader_that_leaves_keeps_all_that_arrived(home: Path, reader: str,
                                                                           model: str) -> None:
    """At any speed: a stream that has all arrived before the reader leaves is saved whole; one still arriving
    is saved as far as it came, as stopped, with everything the reader was shown."""
    from reasonchat.demo.scenarios import resolve

    plan = resolve(model, [{"role": "user", "content": "q"}]).plan
    code, out, err = piped(home, f"ask --demo --model {model} q", reader=reader)
    assert "Traceback" not in err and "Exception ignored" not in err
    row = last_answer(home)
    assert row["reasoning"] == "".join(plan.reasoning).strip()  # it all came before the answer began
    assert out and row["content"].startswith(out.rstrip("\n"))  # what the reader got is kept, and more
    if code == 0:  # everything fitted in the pipe before the reader left: nothing was cut
        assert (row["status"], row["content"]) == ("complete", "".join(plan.answer))
    else:
        assert (code, row["status"]) == (141, "stopped")


class LeavingReader(io.StringIO):
    """A stdout whose reader leaves once it has had `limit` characters: every write after that fails as a
    closed pipe's does. Deterministic where a real `head` races the writer."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, text: str) -> int:
        if self.tell() + len(text) > self.limit:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])  # before the answer, in it, after all of it (its last newline)
def test_a_reader_leaving_at_any_point_keeps_everything_that_arrived(home: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     share: float) -> None:
    from reasonchat.cli.main import main
    from reasonchat.demo.scenarios import resolve

    plan = resolve("shape-deepseek@0", [{"role": "user", "content": "q"}]).plan
    answer = "".join(plan.answer)
    assert not answer.endswith("\n")  # so `ask` ends its output with a newline of its own
    out = LeavingReader(int(len(answer) * share))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert main(["ask", "--demo", "--model", "shape-deepseek@0", "q"]) == 141
    row = last_answer(home)
    assert row["reasoning"] == "".join(plan.reasoning).strip()
    assert row["status"] == "stopped" and row["content"].startswith(out.getvalue())
    if share == 1.0:  # all of it had arrived and was written; only the last newline found the reader gone
        assert row["content"] == answer


def test_ask_json_into_a_closed_pipe(home: Path) -> None:
    code, _, err = piped(home, "ask --demo --model shape-deepseek@0 --json q", reader="true")
    assert code in (0, 141)  # 0 when the one line fitted in the pipe before `true` left
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert last_answer(home)["status"] == "complete"  # the whole answer had arrived before the one write


def _big_store(home: Path) -> None:
    with TranscriptStore(home / "reasonchat.db") as store:
        for number in range(1500):
            conversation = store.create_conversation("demo", "demo", f"conversation number {number} " + "x" * 40)
            store.add_message(conversation, "user", "question")
        reply = Reply(model="m")
        reply.apply(AnswerDelta("line of a long answer\n" * 20_000))
        reply.apply(Finished("stop"))
        store.save_reply(conversation, reply)


@pytest.mark.parametrize("command", ["export last", "history --limit 1500", "history --limit 1500 --json",
                                     "export last --format json"])
def test_history_and_export_into_a_reader_that_leaves(home: Path, command: str) -> None:
    _big_store(home)  # more than a pipe holds, so the write is still going on when the reader leaves
    code, out, err = piped(home, command)
    assert code == 141
    assert err == ""
    assert out.strip()


def _until(condition: Any, what: str, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"never saw {what}"
        time.sleep(0.02)


def _syn_sent_to(port: int) -> bool:
    """Some socket of this machine is connecting to `port` on 127.0.0.1 (state SYN-SENT in /proc/net/tcp)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[2].endswith(f":{port:04X}") and fields[3] == "02":
            return True
    return False


def _user_message_saved(home: Path, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with sqlite3.connect(home / "reasonchat.db") as conn:
                if conn.execute("SELECT count(*) FROM messages WHERE role = 'user'").fetchone()[0]:
                    return
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    raise AssertionError("the question was never saved")


@pytest.mark.parametrize("phase", ["connecting", "waiting for headers"])
def test_ctrl_c_before_the_answer_starts(home: Path, server: DemoServer, phase: str, black_hole: str) -> None:
    base_url, model = (black_hole, "m") if phase == "connecting" else (server.base_url, "fault-hang")
    proc = subprocess.Popen([sys.executable, "-m", "reasonchat", "ask", "--base-url", base_url, "--model", model, "q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=spawn_env(home), text=True, preexec_fn=interruptible)
    _user_message_saved(home)
    if phase == "connecting":  # its connection waits in the kernel for an answer to its SYN
        port = int(black_hole.split(":")[2].split("/")[0])
        _until(lambda: _syn_sent_to(port), "a connection in SYN-SENT")
    else:  # the request is out, and the server is holding it
        _until(lambda: bool(server.chat_bodies()), "the request at the server")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert last_answer(home)["status"] == "stopped"
