"""End to end: the real `reasonchat` in a real terminal (tmux), against the demo server over HTTP."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo_server import DemoServer

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


class Terminal:
    def __init__(self, command: str, width: int = 120, height: int = 40) -> None:
        self.socket = f"rc-{uuid.uuid4().hex[:8]}"
        self.tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), command)

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "main")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "main", "-l", text)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(home: Path, server: DemoServer, tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    exports = tmp_path / "exports"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n[ui]\nexport_dir = "{exports}"\n'
        f'[presets.local]\nbase_url = "{server.base_url}"\nmodel = "demo@150"\n', encoding="utf-8")
    command = (f"env -u COLUMNS -u LINES REASONCHAT_HOME={shlex.quote(str(home))} TERM=xterm-256color "
               f"{shlex.quote(sys.executable)} -m reasonchat; sleep 5")
    term = Terminal(command, height=60)
    try:
        yield term, exports
    finally:
        term.close()


def test_prompt_answer_ctrl_t_and_export(terminal: tuple[Terminal, Path]) -> None:
    term, exports = terminal
    term.wait_for("local · demo@150 · thinking on")
    term.type("Explain backpressure")
    term.keys("Enter")
    term.wait_for("Thinking…", timeout=15)  # the live title while it reasons
    term.wait_for("Ask a follow-up to see a multi-turn conversation.")
    screen = term.wait_for("tok/s")  # the status line's usage, once the answer is complete
    assert "Thought for" in screen and "About “Explain backpressure”" in screen
    assert "The user wrote:" not in screen  # auto: collapsed once the answer came
    assert "prompt " in screen and "first token" in screen
    term.keys("C-t")
    assert "The user wrote: “Explain backpressure”" in term.wait_for("The user wrote:")  # expanded
    term.keys("C-e")
    term.wait_for("Exported to")
    files = list(exports.glob("reasonchat-*.md"))
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("# Explain backpressure") and "<details><summary>Thought for" in text
    assert "## About “Explain backpressure”" in text
    term.keys("C-q")
    time.sleep(0.5)
    assert "Explain backpressure" not in term.screen()  # the app has left the screen


SLOW = "bench-3000@200"  # a 15 s answer: still streaming when the signal comes


def _slow_tui(home: Path, server: DemoServer, tmp_path: Path, model: str = SLOW) -> tuple[Terminal, Path]:
    """The real program mid-answer (a 15 s stream), its pid in a file, its exit code printed afterwards."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n[presets.local]\nbase_url = "{server.base_url}"\nmodel = "{model}"\n',
        encoding="utf-8")
    pidfile = tmp_path / "pid"
    program = f"echo $$ > {shlex.quote(str(pidfile))}; exec {shlex.quote(sys.executable)} -m reasonchat"
    command = (f"env -u COLUMNS -u LINES REASONCHAT_HOME={shlex.quote(str(home))} TERM=xterm-256color "
               f"sh -c {shlex.quote(program)}; echo exit=$?; sleep 30")
    term = Terminal(command)
    term.wait_for(f"local · {model}")
    term.type("a slow question")
    term.keys("Enter")
    term.wait_for("Thinking…", timeout=15)
    return term, pidfile



def _last_assistant(home: Path) -> Any:
    import sqlite3

    from reasonchat.store import TranscriptStore

    TranscriptStore(home / "reasonchat.db").close()  # opening recovers rows left by a dead process
    conn = sqlite3.connect(home / "reasonchat.db")
    conn.row_factory = sqlite3.Row
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT * FROM messages WHERE role = 'assistant' ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()


@pytest.mark.parametrize(("signame", "code"), [("TERM", 143), ("HUP", 129)])
def test_sigterm_saves_as_stopped_and_restores_the_terminal(home: Path, server: DemoServer, tmp_path: Path,
                                                             signame: str, code: int) -> None:
    term, pidfile = _slow_tui(home, server, tmp_path)
    try:
        time.sleep(1.0)
        os.kill(int(pidfile.read_text()), getattr(signal, f"SIG{signame}"))
        screen = term.wait_for(f"exit={code}", timeout=15)
        assert "Thinking…" not in screen  # the alternate screen is gone: the shell's own lines are back
        row = _last_assistant(home)
        assert row["status"] == "stopped" and row["reasoning"]
    finally:
        term.close()


def test_sigkill_mid_stream_loses_at_most_a_second(home: Path, server: DemoServer, tmp_path: Path) -> None:
    from reasonchat import demo_scenarios

    term, pidfile = _slow_tui(home, server, tmp_path)
    try:
        asked = next(r for r in server.requests if r.path.endswith("/chat/completions"))
        started = time.monotonic()  # the request is already in: its stream started before this
        time.sleep(2.0)
        killed_at = time.monotonic()
        os.kill(int(pidfile.read_text()), signal.SIGKILL)
        term.wait_for("exit=137", timeout=15)
        row = _last_assistant(home)
        assert row["status"] == "interrupted"
        scenario = demo_scenarios.resolve(SLOW, asked.body["messages"])
        assert not isinstance(scenario, demo_scenarios.Refusal)
        full = "".join(scenario.plan.reasoning)
        # The stream was sent at 200 tok/s from before `started`; what had arrived a second before the kill
        # (less a 0.3 s margin for a busy machine) must be in the store.
        due = int((killed_at - 1.0 - 0.3 - started) * 200)
        saved = row["reasoning"]
        assert full.startswith(saved) and len(saved) >= len("".join(scenario.plan.reasoning[:due]))
    finally:
        term.close()


def test_disk_full_mid_answer_keeps_it_and_saves_it_when_there_is_room(home: Path, server: DemoServer,
                                                                        tmp_path: Path) -> None:
    """The kernel stops the store's files from growing (RLIMIT_FSIZE, set on the running program) while an
    answer streams: the answer still arrives in full on screen, one notice says it is not saved, the next
    message is held back (and kept in the prompt) until there is room again, then both are saved."""
    import resource
    import sqlite3

    from reasonchat import demo_scenarios

    model = "bench-3000@1000"
    term, pidfile = _slow_tui(home, server, tmp_path, model)
    pid = int(pidfile.read_text())
    try:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
        screen = term.wait_for("The answer is not saved", timeout=30)
        assert "NOT SAVED" in screen and "Traceback" not in screen
        term.type("the next question")
        term.keys("Enter")
        screen = term.wait_for("Not sent")
        assert "in the prompt." in screen and "▊ the next question" in screen
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        term.keys("Enter")
        conn = sqlite3.connect(home / "reasonchat.db")
        try:
            for _ in range(300):
                done = conn.execute("SELECT count(*) FROM messages WHERE role = 'assistant' AND status = 'complete'")
                if done.fetchone()[0] == 2:
                    break
                time.sleep(0.1)
            first = conn.execute("SELECT reasoning, content FROM messages WHERE role = 'assistant' ORDER BY id")
            saved = first.fetchone()
        finally:
            conn.close()
        term.keys("C-q")
        term.wait_for("exit=0", timeout=15)
        asked = server.chat_bodies()[0]["messages"]
        scenario = demo_scenarios.resolve(model, asked)
        assert not isinstance(scenario, demo_scenarios.Refusal)
        assert saved == ("".join(scenario.plan.reasoning), "".join(scenario.plan.answer))  # nothing lost
        assert _last_assistant(home)["status"] == "complete"
    finally:
        term.close()


def test_hostile_provider_cannot_touch_the_terminal(home: Path, server: DemoServer) -> None:
    """A provider listing ids that would set the clipboard (OSC 52), the window title or clear the screen,
    and echoing them in errors: in a real terminal none of it takes effect and the markup shows as text."""
    hostile = server.base_url.replace("/v1", "/hostile/v1")
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'default_preset = "evil"\n[presets.evil]\nbase_url = "{hostile}"\n',
                                      encoding="utf-8")
    command = (f"env -u COLUMNS -u LINES REASONCHAT_HOME={shlex.quote(str(home))} TERM=xterm-256color "
               f"{shlex.quote(sys.executable)} -m reasonchat; echo exit=$?; sleep 30")
    term = Terminal(command)
    try:
        term.tmux("set-option", "-g", "set-clipboard", "on")  # an OSC 52 would land in a tmux buffer
        term.wait_for("evil · (first served)")
        title = term.tmux("display-message", "-p", "-t", "main", "#{pane_title}")
        term.keys("C-k")
        term.wait_for("[@click=app.quit]click-me[/]")
        term.keys("Tab")  # to the model list: the first id (the clipboard writer) is highlighted
        term.keys("Enter")
        term.wait_for("Next message goes to evil · osc52-model")
        term.type("hello")
        term.keys("Enter")
        term.wait_for("The answer failed")
        term.keys("C-q")
        term.wait_for("exit=0")
        assert term.tmux("list-buffers") == ""  # no clipboard write
        assert term.tmux("display-message", "-p", "-t", "main", "#{pane_title}") == title
        assert "pwned" not in title
    finally:
        term.close()


def test_disk_full_then_quit_saves_the_answer_on_the_way_out(home: Path, server: DemoServer,
                                                             tmp_path: Path) -> None:
    """An answer the store refused gets a last try when the app quits (room came back meanwhile)."""
    import resource

    from reasonchat import demo_scenarios

    model = "bench-3000@1000"
    term, pidfile = _slow_tui(home, server, tmp_path, model)
    pid = int(pidfile.read_text())
    try:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
        term.wait_for("The answer is not saved", timeout=30)
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        term.keys("C-q")
        screen = term.wait_for("exit=0", timeout=15)
        assert "Traceback" not in screen
        scenario = demo_scenarios.resolve(model, server.chat_bodies()[0]["messages"])
        assert not isinstance(scenario, demo_scenarios.Refusal)
        row = _last_assistant(home)
        assert row["status"] == "complete" and row["content"] == "".join(scenario.plan.answer)
    finally:
        term.close()
