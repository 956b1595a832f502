"""Shared fixtures: an isolated REASONCHAT_HOME, a real demo server on 127.0.0.1, and CLI runners.

Nothing here mocks `openai` or `httpx`: every request goes over loopback HTTP to `DemoServer`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from reasonchat.cli.main import main
from reasonchat.demo.server import DemoServer

PROXY_VARS = tuple(f"{name}_proxy" for name in ("http", "https", "all", "no"))
PROXY_VARS += tuple(name.upper() for name in PROXY_VARS)
# Cleared for every test: a key or a proxy of the machine's must never change what a test sees.
KEY_VARS = ("OPENAI_API_KEY", "DEEPSEEK_API_KEY", "SILICONFLOW_API_KEY", "DASHSCOPE_API_KEY", "QIANFAN_API_KEY",
            "ARK_API_KEY", "VLLM_API_KEY", "NO_COLOR", *PROXY_VARS)


# No test asserts on time: Hypothesis's per-example deadline (200 ms by default) is a timed assertion in
# disguise, and fails on a loaded machine with nothing wrong. Speed lives in benchmarks/.
settings.register_profile("reasonchat", deadline=None)
settings.load_profile("reasonchat")

UNDER_CI = bool(os.environ.get("CI"))


def tool(name: str) -> str:
    """The path of a program a test drives (tmux, bash, setpriv). Off CI a missing one skips the test; under
    CI it fails it, because a skipped end-to-end test lets CI go green without the tests that matter most."""
    import shutil

    path = shutil.which(name)
    if path is None:
        if UNDER_CI:
            pytest.fail(f"{name} is not installed, and CI must run every test (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport,
                                                                                            pytest.TestReport]:
    """Under CI a skip is a failure unless the test is marked `may_skip` (its condition is an optional extra
    a user may or may not have, not a tool CI can install): the class of "CI green with its e2e skipped"."""
    report = yield
    if UNDER_CI and report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("may_skip") is None:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI ({report.longrepr}): CI must run every test"
    return report


def answered(text: str) -> Any:
    """A finished `Reply` whose answer is `text`: what a test saves to the store as an answer."""
    from reasonchat.core.events import AnswerDelta, Finished
    from reasonchat.core.reply import Reply

    reply = Reply(model="m", preset="p")
    reply.apply(AnswerDelta(text))
    reply.apply(Finished("stop"))
    return reply


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh REASONCHAT_HOME with no keys in the environment."""
    path = tmp_path / "home"
    monkeypatch.setenv("REASONCHAT_HOME", str(path))
    for var in KEY_VARS:
        monkeypatch.delenv(var, raising=False)
    return path


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer() as demo:
        yield demo


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(home: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `reasonchat ARGS…` in this process (fast); returns exit code, stdout, stderr."""

    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def interruptible() -> None:
    """preexec_fn for a child a test sends SIGINT: SIGINT at its default, as under a terminal. A suite run in
    the background of a non-interactive shell inherits SIGINT ignored, and a program keeps an ignored SIGINT
    ignored (rightly: a background job is not the terminal's to stop) — the test would wait for nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def drain(leader: int) -> bytes:
    """Everything a pty's other end wrote until it closed (Linux says EIO where others say end of file)."""
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            return out
        if not chunk:
            return out
        out += chunk


def spawn_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in KEY_VARS}
    env.update({"REASONCHAT_HOME": str(home), "PYTHONUNBUFFERED": "1"}, **extra)
    return env


@pytest.fixture
def run_process(home: Path) -> Any:
    """Run the real program in a subprocess (`python -m reasonchat`), for exit codes, signals and stdin."""

    def run(*args: str, stdin: str | None = None, timeout: float = 60, **env: str) -> Result:
        done = subprocess.run([sys.executable, "-m", "reasonchat", *args], input=stdin, capture_output=True,
                              text=True, timeout=timeout, env=spawn_env(home, **env))
        return Result(done.returncode, done.stdout, done.stderr)

    return run


# What must never reach a terminal from untrusted text: C0 controls but newline and tab, DEL, C1 (incl. the 8-bit
# CSI), zero-width and bidi controls.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

UNRESOLVABLE = "api.reasonchat-test.invalid"


@pytest.fixture
def unresolvable(monkeypatch: pytest.MonkeyPatch) -> str:
    """A host name whose lookup fails as a DNS failure does (`socket.gaierror`), without asking any
    resolver: the test never leaves the machine, and the failure is the operating system's own error type."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == UNRESOLVABLE:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return UNRESOLVABLE


@dataclass
class ForwardProxy:
    """A real HTTP forward proxy (proxy.py) on 127.0.0.1; `requests()` are the lines of its access log."""

    url: str
    log: Path

    def requests(self, needle: str = "") -> list[str]:
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return [line for line in lines if "access_log" in line and needle in line]


def start_forward_proxy(tmp_path: Path, auth: str = "") -> tuple[subprocess.Popen[bytes], ForwardProxy]:
    port_file, log = tmp_path / f"proxy-{auth or 'open'}.port", tmp_path / f"proxy-{auth or 'open'}.log"
    command = [sys.executable, "-m", "proxy", "--hostname", "127.0.0.1", "--port", "0", "--port-file", str(port_file),
               "--num-workers", "1", "--num-acceptors", "1", "--threaded", "--log-level", "i", "--log-file", str(log)]
    if auth:
        command += ["--basic-auth", auth]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = ""
    for _ in range(500):
        port = port_file.read_text().strip() if port_file.exists() else ""
        if port:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
                break
        time.sleep(0.02)
    else:
        process.kill()
        raise RuntimeError("proxy.py did not start")
    return process, ForwardProxy(f"http://127.0.0.1:{port}", log)


@pytest.fixture
def forward_proxy(tmp_path: Path) -> Iterator[ForwardProxy]:
    process, proxy = start_forward_proxy(tmp_path)
    try:
        yield proxy
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def auth_proxy(tmp_path: Path) -> Iterator[ForwardProxy]:
    """A forward proxy that wants `user:secret` (HTTP 407 otherwise)."""
    process, proxy = start_forward_proxy(tmp_path, "user:secret")
    try:
        yield proxy
    finally:
        process.terminate()
        process.wait(10)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def black_hole() -> Iterator[str]:
    """A base URL whose port has a full accept queue: a connection to it waits in the kernel (its SYN is
    dropped and retried), the connecting phase of a request held open for as long as a test needs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname())
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    finally:
        filler.close()
        listener.close()
