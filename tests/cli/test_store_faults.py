"""A read-only data dir and a disk that fills mid-answer, for `ask` (the real program in a subprocess).

Root ignores file permissions, so when the tests run as root the program is started without the
capabilities that let it (`setpriv --bounding-set -dac_override,…`): the kernel then refuses writes into a
0500 folder exactly as it would for any user. A full disk is the kernel refusing to let a file grow
(RLIMIT_FSIZE, which Python turns into an EFBIG error rather than a signal): a real OS write failure under
SQLite, not a mock.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reasonchat.demo.server import DemoServer
from tests.conftest import spawn_env, tool

NO_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
LONG = "bench-8000@8000"  # 6,000 tokens of reasoning and 2,000 of answer in about a second


def as_user() -> list[str]:
    """The command prefix under which a 0500 folder really is read-only (none needed unless root)."""
    if os.geteuid() != 0:
        return []
    tool("setpriv")  # running as root, only setpriv makes a 0500 folder read-only for the program
    return NO_OVERRIDE


def ask(home: Path, *args: str, prefix: list[str] | None = None,
        preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(prefix or []), sys.executable, "-m", "reasonchat", "ask", *args], capture_output=True,
                          text=True, timeout=60, env=spawn_env(home), preexec_fn=preexec)


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("reasonchat: "), err
    assert "Traceback" not in err, err
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(db: Path) -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT role, status, content, reasoning FROM messages ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def seeded(home: Path, server: DemoServer) -> Path:
    """A store holding one finished conversation."""
    first = ask(home, "--base-url", server.base_url, "--model", "shape-deepseek", "the first question")
    assert first.returncode == 0, first.stderr
    return home / "reasonchat.db"


def test_read_only_data_dir(home: Path, server: DemoServer, seeded: Path) -> None:
    before, saved = digest(seeded), rows(seeded)
    prefix = as_user()
    home.chmod(0o500)
    try:
        probe = subprocess.run([*prefix, "sh", "-c", f"touch {home}/probe"], capture_output=True)
        assert probe.returncode != 0, "the folder is still writable for the program: the test would prove nothing"
        refused = ask(home, "--base-url", server.base_url, "--model", "shape-deepseek", "hi", prefix=prefix)
        assert refused.returncode == 1
        assert refused.stdout == ""
        line = one_line(refused.stderr)
        assert f"cannot open the store {seeded}" in line
        assert f"make {home} a writable folder" in line
        assert "REASONCHAT_HOME" in line
        assert "--no-save" in line
        unsaved = ask(home, "--base-url", server.base_url, "--model", "shape-deepseek", "--no-save", "hi",
                      prefix=prefix)
        assert unsaved.returncode == 0
        assert "hi" in unsaved.stdout
        assert "Traceback" not in unsaved.stderr
        listed = subprocess.run([*prefix, sys.executable, "-m", "reasonchat", "history"], capture_output=True,
                                text=True, timeout=60, env=spawn_env(home))
        assert listed.returncode == 1
        assert "writable folder" in one_line(listed.stderr)
    finally:
        home.chmod(0o700)
    assert digest(seeded) == before
    assert rows(seeded) == saved  # not a byte changed


def test_disk_full_mid_answer(home: Path, server: DemoServer, seeded: Path) -> None:
    saved = rows(seeded)
    whole = ask(home, "--base-url", server.base_url, "--model", LONG, "--no-save", "long")
    assert whole.returncode == 0
    limit = seeded.stat().st_size + 48 * 1024  # room for the question and the first flushes, not the answer

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    full = ask(home, "--base-url", server.base_url, "--model", LONG, "long", preexec=small_disk)
    assert full.stdout == whole.stdout  # the whole answer still reached the user
    assert full.returncode == 1
    line = next(ln for ln in full.stderr.splitlines() if ln.startswith("reasonchat:"))
    assert line.startswith("reasonchat: the answer is not saved — cannot write the store")
    assert "Traceback" not in full.stderr
    after = rows(seeded)
    assert after[: len(saved)] == saved  # the earlier conversation is untouched
    assert [r[0] for r in after[len(saved):]] in (["user"], ["user", "assistant"])  # the question, maybe a part
    if after[-1][0] == "assistant":
        assert after[-1][1] != "complete"
        assert whole.stdout.startswith(after[-1][2])
    again = ask(home, "--base-url", server.base_url, "--model", "shape-deepseek", "after the disk has room")
    assert again.returncode == 0
    assert rows(seeded)[-1][1] == "complete"
