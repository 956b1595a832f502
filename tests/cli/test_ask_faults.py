"""The fault matrix for `ask`: each failure is one clear line, the right exit code, and what arrived is saved."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.scenarios import HOSTILE_MODEL_IDS
from reasonchat.demo.server import DemoServer
from tests.conftest import UNSAFE


def last_assistant(home: Path) -> sqlite3.Row:
    conn = sqlite3.connect(home / "reasonchat.db")
    conn.row_factory = sqlite3.Row
    row = conn.execute("SELECT * FROM messages WHERE role = 'assistant' ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    return row


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("reasonchat:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(("model", "code", "says", "status", "has_text"), [
    ("fault-drop", 1, "connection dropped mid-answer", "interrupted", True),
    ("fault-malformed", 1, "malformed chunk", "interrupted", True),
    ("fault-midstream", 1, "error mid-stream: upstream model crashed", "interrupted", True),
    ("fault-error-line", 1, "upstream overloaded", "interrupted", True),
    ("fault-no-finish", 1, "ended before the model finished", "interrupted", True),
    ("fault-401", 1, "authentication failed (HTTP 401", "error", False),
    ("fault-402", 1, "Insufficient Balance) — top up", "error", False),
    ("fault-403", 1, "access denied (HTTP 403", "error", False),
    ("fault-404", 1, "not found (HTTP 404", "error", False),
    ("fault-422", 1, "rejected the request (HTTP 422", "error", False),
    ("fault-500", 1, "the provider failed (HTTP 500", "error", False),
    ("fault-503", 1, "the provider failed (HTTP 503", "error", False),
    ("fault-429-always", 1, "rate limited (HTTP 429", "error", False),
    ("fault-html", 1, "HTML page, not JSON", "error", False),
    ("fault-html200", 1, "did not send an event stream", "interrupted", False),
    ("fault-moderation", 1, "content moderation blocked", "error", False),
    ("fault-context", 1, "conversation is too long for the model (HTTP 400: This model's maximum", "error", False),
    ("fault-413", 1, "conversation is too long for the model (HTTP 413", "error", False),
])
def test_fault(cli: Any, server: DemoServer, home: Path, model: str, code: int, says: str, status: str,
               has_text: bool) -> None:
    result = cli("ask", "--base-url", server.base_url, "--model", model, "hello")
    assert result.code == code
    assert says in one_line(result.err)
    row = last_assistant(home)
    assert row["status"] == status
    assert says in row["error"]
    assert bool(row["reasoning"] or row["content"]) is has_text
    if has_text:
        assert row["content"] in result.out  # what was printed is what was saved


def test_fault_json_reports_interrupted(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--json", "--base-url", server.base_url, "--model", "fault-drop", "hello")
    record = result.json()
    assert result.code == 1
    assert record["interrupted"] is True
    assert record["content"]
    assert "dropped" in record["error"]


def test_429_is_retried_then_succeeds(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--json", "--base-url", server.base_url, "--model", "fault-429", "hello")
    assert result.code == 0
    assert result.json()["finish_reason"] == "stop"
    attempts = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert [r.headers.get("x-stainless-retry-count") for r in attempts] == ["0", "1"]


def test_429_retries_are_bounded(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--base-url", server.base_url, "--model", "fault-429-always", "hello")
    assert result.code == 1
    assert "retried already" in one_line(result.err)
    attempts = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert [r.headers.get("x-stainless-retry-count") for r in attempts] == ["0", "1", "2"]


def test_dns_failure(cli: Any, home: Path, unresolvable: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[presets.typo]\nbase_url = "http://{unresolvable}/v1"\nmodel = "m"\nmax_retries = 0\n', encoding="utf-8")
    result = cli("ask", "--preset", "typo", "hello")
    assert result.code == 1
    assert f"cannot resolve host '{unresolvable}'" in one_line(result.err)
    assert "base_url for preset 'typo'" in result.err
    assert last_assistant(home)["status"] == "error"


def test_length_says_cut(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--base-url", server.base_url, "--model", "fault-length", "hello")
    assert result.code == 0
    assert "cut at the max tokens" in one_line(result.err)


def test_stall_hits_read_timeout(cli: Any, server: DemoServer, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[presets.slow]\nbase_url = "{server.base_url}"\nmodel = "fault-stall"\ntimeout = 1\n', encoding="utf-8")
    result = cli("ask", "--preset", "slow", "hello")
    assert result.code == 1
    assert "sent nothing for 1 s" in one_line(result.err)
    assert last_assistant(home)["status"] == "interrupted"


def test_connection_refused(cli: Any, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (home / "config.toml").write_text(
        f'[presets.gone]\nbase_url = "http://127.0.0.1:{port}/v1"\nmodel = "m"\nmax_retries = 0\n'
        'api_key = "sk-test-key"\n', encoding="utf-8")
    (home / "config.toml").chmod(0o600)
    result = cli("ask", "--preset", "gone", "hello")
    assert result.code == 1
    assert "connection refused — is the server running?" in one_line(result.err)
    assert last_assistant(home)["status"] == "error"


def test_controls_stripped_unless_raw(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--base-url", server.base_url, "--model", "fault-controls", "hello")
    for part in (result.out, result.err):
        assert not any(ch in part for ch in "\x1b\x07\u202e")
    assert "Safe red text  and evil end." in result.out
    raw = cli("ask", "--raw", "--base-url", server.base_url, "--model", "fault-controls", "hello")
    assert "\x1b[31m" in raw.out
    record = cli("ask", "--json", "--base-url", server.base_url, "--model", "fault-controls", "hello").json()
    assert "\x1b" not in record["content"]
    assert "\x1b" not in record["reasoning"]


def test_invalid_utf8_is_replaced_not_fatal(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--json", "--base-url", server.base_url, "--model", "fault-utf8", "hello")
    assert result.code == 0
    assert "bad \ufffd\ufffd bytes" in result.json()["content"]


def test_five_megabyte_chunk(cli: Any, server: DemoServer, home: Path) -> None:
    result = cli("ask", "--json", "--base-url", server.base_url, "--model", "fault-big", "hello")
    assert result.code == 0
    assert len(result.json()["content"]) == 5 * 1024 * 1024
    assert len(last_assistant(home)["content"]) == 5 * 1024 * 1024


def test_hostile_model_ids_and_errors_never_reach_the_terminal(cli: Any, server: DemoServer) -> None:
    """A malicious provider lists ids made of escape sequences and echoes them in its errors."""
    hostile = server.base_url.replace("/v1", "/hostile/v1")
    listed = cli("models", "--base-url", hostile)
    assert listed.code == 0
    assert not UNSAFE.search(listed.out)
    assert "[@click=app.quit]click-me[/]" in listed.out
    for model in HOSTILE_MODEL_IDS:
        for extra in ([], ["--raw"], ["--json"]):
            result = cli("ask", *extra, "--base-url", hostile, "--model", model, "hello")
            assert result.code == 1
            assert "does not exist" in one_line(result.err)
            assert not UNSAFE.search(result.err), (model, extra)
            assert not UNSAFE.search(result.out), (model, extra)
    served = cli("ask", "--base-url", hostile, "hello")  # no --model: the first one served is used
    assert served.code == 1
    assert "osc52-model" in one_line(served.err)
    assert not UNSAFE.search(served.err)
    shown_by = [("history",), ("history", "--search", "model"), ("export", "last"),
                ("export", "last", "--format", "json")]
    for args in shown_by:
        shown = cli(*args)
        assert shown.code == 0, args
        assert not UNSAFE.search(shown.out.replace("\n", "")), args


def test_keepalive_comments_alone_do_not_wait_forever(cli: Any, server: DemoServer, home: Path) -> None:
    """A queue that never moves: comments keep the read timeout from firing, so they are bounded on their own
    (10 read timeouts; 0.3 s here, 90 s by default)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[presets.queued]\nbase_url = "{server.base_url}"\nmodel = "fault-keepalive"\ntimeout = 0.3\n'
        'max_retries = 0\n', encoding="utf-8")
    result = cli("ask", "--preset", "queued", "hello")
    assert result.code == 1
    assert "sent only keep-alive comments for 3 s" in one_line(result.err)
    row = last_assistant(home)
    assert row["status"] == "interrupted"
    assert row["reasoning"]  # what came before the queue stalled is kept
