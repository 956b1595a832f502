"""End to end: the real `reasonchat` in a real terminal (tmux), against the demo server over HTTP."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer


class Terminal:
    """A tmux server of its own running `command`. Closing it is what a user's closing their terminal is (the
    pty goes, SIGHUP comes): if the program wrote its pid to `pidfile`, `close` holds that it then ends."""

    def __init__(self, command: str, width: int = 120, height: int = 40, pidfile: Path | None = None) -> None:
        self.socket = f"rc-{uuid.uuid4().hex[:8]}"
        self.pidfile = pidfile
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
        return self.wait_until(lambda screen: text in screen, f"{text!r} never appeared", timeout)

    def wait_gone(self, text: str, timeout: float = 20) -> str:
        return self.wait_until(lambda screen: text not in screen, f"{text!r} never went", timeout)

    def wait_until(self, condition: Any, what: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.05)
        panes = self.tmux("list-panes", "-a", "-F", "#{pane_dead} alternate screen #{alternate_on} pid #{pane_pid}")
        raise AssertionError(f"{what}; the pane: {panes.strip() or '(no tmux server)'}; the screen:\n{self.screen()}")

    def close(self, within: float = 8.0) -> None:
        """Close the terminal; the program in it must be gone `within` seconds."""
        self.tmux("kill-server")
        if self.pidfile is not None and self.pidfile.exists():
            pid = int(self.pidfile.read_text())
            end = time.monotonic() + within
            while alive(pid):
                assert time.monotonic() < end, f"reasonchat (pid {pid}) outlived its terminal"
                time.sleep(0.05)


def alive(pid: int) -> bool:
    """The process runs (a zombie, dead and waiting to be reaped by whoever adopted it, does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def program(home: Path, pidfile: Path, arguments: str = "", after: str = "; sleep 30") -> str:
    """The shell command of a tmux pane running the real `reasonchat ARGUMENTS`, its pid in `pidfile`, its
    exit code printed when it ends."""
    run = f"echo $$ > {shlex.quote(str(pidfile))}; exec {shlex.quote(sys.executable)} -m reasonchat {arguments}"
    return (f"env -u COLUMNS -u LINES REASONCHAT_HOME={shlex.quote(str(home))} TERM=xterm-256color "
            f"sh -c {shlex.quote(run)}; echo exit=$?{after}")


@pytest.fixture
def terminal(home: Path, server: DemoServer, tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    exports = tmp_path / "exports"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n[ui]\nexport_dir = "{exports}"\n'
        f'[presets.local]\nbase_url = "{server.base_url}"\nmodel = "demo@150"\n', encoding="utf-8")
    pidfile = tmp_path / "pid"
    term = Terminal(program(home, pidfile, after="; sleep 5"), height=60, pidfile=pidfile)
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
    screen = term.wait_for("first token")  # the status line's usage, once the answer is complete
    assert "Thought for" in screen
    assert "About “Explain backpressure”" in screen
    assert "The user wrote:" not in screen  # auto: collapsed once the answer came
    assert "prompt " in screen
    term.keys("C-t")
    assert "The user wrote: “Explain backpressure”" in term.wait_for("The user wrote:")  # expanded
    term.keys("C-e")
    term.wait_for("Exported to")
    files = list(exports.glob("reasonchat-*.md"))
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("# Explain backpressure")
    assert "<details><summary>Thought for" in text
    assert "### About “Explain backpressure”" in text  # the answer's own heading, under "## Assistant"
    term.close()  # as a user closes the window: the program must end (the fixture's close holds it)


SLOW = "bench-3000@200"  # a 15 s answer: still streaming when the signal comes


def _slow_tui(home: Path, server: DemoServer, tmp_path: Path, model: str = SLOW) -> tuple[Terminal, Path]:
    """The real program mid-answer (a 15 s stream), its pid in a file, its exit code printed afterwards."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n[presets.local]\nbase_url = "{server.base_url}"\nmodel = "{model}"\n',
        encoding="utf-8")
    pidfile = tmp_path / "pid"
    term = Terminal(program(home, pidfile), pidfile=pidfile)
    term.wait_for(f"local · {model}")
    term.type("a slow question")
    term.keys("Enter")
    term.wait_for("Thinking…", timeout=15)
    return term, pidfile



def _saved_reasoning(home: Path) -> bool:
    """The answer in flight has reasoning in the store (it was flushed at least once)."""
    import sqlite3

    try:
        with sqlite3.connect(home / "reasonchat.db") as conn:
            row = conn.execute("SELECT length(reasoning) FROM messages WHERE role = 'assistant'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def _wait_saved(home: Path, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while not _saved_reasoning(home):
        assert time.monotonic() < end, "nothing of the answer was saved"
        time.sleep(0.05)


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
        _wait_saved(home)
        os.kill(int(pidfile.read_text()), getattr(signal, f"SIG{signame}"))
        screen = term.wait_for(f"exit={code}", timeout=15)
        assert "Thinking…" not in screen  # the alternate screen is gone: the shell's own lines are back
        row = _last_assistant(home)
        assert row["status"] == "stopped"
        assert row["reasoning"]
    finally:
        term.close()


def test_sigkill_mid_stream_keeps_what_was_saved(home: Path, server: DemoServer, tmp_path: Path) -> None:
    """kill -9 mid-answer: the row is recovered as interrupted, the store is intact, and what it holds is the
    start of what the server sent. (How much a kill loses — at most the last second — is measured by
    `python -m benchmarks.crash_loss`, not asserted here.)"""
    from reasonchat.demo import scenarios as demo_scenarios

    term, pidfile = _slow_tui(home, server, tmp_path)
    try:
        asked = next(r for r in server.requests if r.path.endswith("/chat/completions"))
        _wait_saved(home)
        os.kill(int(pidfile.read_text()), signal.SIGKILL)
        term.wait_for("exit=137", timeout=15)
        row = _last_assistant(home)
        assert row["status"] == "interrupted"
        scenario = demo_scenarios.resolve(SLOW, asked.body["messages"])
        assert isinstance(scenario, demo_scenarios.Scenario)
        saved = row["reasoning"]
        assert saved
        assert "".join(scenario.plan.reasoning).startswith(saved)
    finally:
        term.close()


def test_disk_full_mid_answer_keeps_it_and_saves_it_when_there_is_room(home: Path, server: DemoServer,
                                                                        tmp_path: Path) -> None:
    """The kernel stops the store's files from growing (RLIMIT_FSIZE, set on the running program) while an
    answer streams: the answer still arrives in full on screen, one notice says it is not saved, the next
    message is held back (and kept in the prompt) until there is room again, then both are saved."""
    import resource
    import sqlite3

    from reasonchat.demo import scenarios as demo_scenarios

    model = "bench-3000@1000"
    term, pidfile = _slow_tui(home, server, tmp_path, model)
    pid = int(pidfile.read_text())
    try:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
        screen = term.wait_for("The answer is not saved", timeout=30)
        assert "NOT SAVED" in screen
        assert "Traceback" not in screen
        term.type("the next question")
        term.keys("Enter")
        screen = term.wait_for("Not sent")
        assert "in the prompt." in screen
        assert "▊ the next question" in screen
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
        assert isinstance(scenario, demo_scenarios.Scenario)
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
        term.wait_for("✗ error: not found (HTTP 404")
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

    from reasonchat.demo import scenarios as demo_scenarios

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
        assert isinstance(scenario, demo_scenarios.Scenario)
        row = _last_assistant(home)
        assert row["status"] == "complete"
        assert row["content"] == "".join(scenario.plan.answer)
    finally:
        term.close()


def _store(home: Path) -> Any:
    import sqlite3

    conn = sqlite3.connect(home / "reasonchat.db")
    conn.row_factory = sqlite3.Row
    return conn


def _conversations(home: Path) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(title, [(role, status, content)]) of every stored conversation, oldest first."""
    with _store(home) as conn:
        out = []
        for c in conn.execute("SELECT id, title FROM conversations ORDER BY id").fetchall():
            rows = conn.execute("SELECT role, status, content FROM messages WHERE conversation_id = ? ORDER BY id",
                                (c["id"],)).fetchall()
            out.append((c["title"], [(r["role"], r["status"], r["content"]) for r in rows]))
        return out


def _wait_store(home: Path, condition: Any, what: str, timeout: float = 30) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        state = _conversations(home) if (home / "reasonchat.db").exists() else []
        if condition(state):
            return state
        time.sleep(0.05)
    raise AssertionError(f"the store never showed {what}: {_conversations(home)}")


def test_a_users_day(home: Path, server: DemoServer, tmp_path: Path) -> None:
    """--base-url on the demo server, a model from the picker, chat, edit and cancel, a 20 kB paste with CRs,
    history mid-answer, deleting the open conversation, export, quit, and `-c` — the screen and the store
    agreeing after every step."""
    exports = tmp_path / "exports"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[ui]\nexport_dir = "{exports}"\n', encoding="utf-8")
    program = f"{shlex.quote(sys.executable)} -m reasonchat --base-url {server.base_url}"
    command = (f"env -u COLUMNS -u LINES REASONCHAT_HOME={shlex.quote(str(home))} TERM=xterm-256color "
               f"sh -c {shlex.quote(f'{program}; echo exit=$?; read again; {program} -c; echo exit=$?')}; sleep 30")
    term = Terminal(command, width=120, height=45)
    host = server.base_url.split("/")[2]
    try:
        term.wait_for(f"ad-hoc @ {host} · (first served) · thinking on")
        assert "New conversation with ad-hoc" in term.screen()

        term.keys("C-k")  # the server's own models, on the row of the provider in use
        term.wait_for("in use")
        term.wait_for("shape-deepseek")
        term.keys("Right", "Enter")  # its first model
        term.wait_for(f"Next message goes to ad-hoc @ {host} · demo")

        term.type("first question")
        term.keys("Enter")
        term.wait_for("Thought for", timeout=30)
        term.wait_for("first token", timeout=30)
        state = _wait_store(home, lambda s: len(s) == 1 and len(s[0][1]) == 2 and s[0][1][1][1] == "complete",
                            "one finished exchange")
        assert state[0][0] == "first question"
        assert "— first question" in term.screen()  # the header names the stored title

        term.keys("Up")  # edit, then think better of it
        term.wait_for("Editing your last message")
        term.keys("Escape")
        term.wait_gone("Editing your last message")
        assert _conversations(home) == state  # nothing deleted

        lines = [f"log line {i:05d}: something happened" for i in range(600)]  # ~21 kB
        (tmp_path / "log.txt").write_text("\n".join(lines), encoding="utf-8")
        term.tmux("load-buffer", "-b", "log", str(tmp_path / "log.txt"))
        term.tmux("paste-buffer", "-p", "-b", "log", "-t", "main")  # bracketed, each LF sent as CR
        term.wait_for("[pasted ")
        term.keys("Enter")
        state = _wait_store(home, lambda s: len(s[0][1]) == 4 and s[0][1][3][1] == "complete", "the paste answered")
        assert state[0][1][2][2] == "\n".join(lines)  # one message, its lines intact, no CR
        term.wait_for("characters in all, sent and saved in full")

        term.keys("C-k")  # a long answer, to leave mid-way
        term.wait_for("in use")
        term.wait_for("shape-deepseek")
        term.keys("Right", "End", "Enter")
        term.wait_for(f"ad-hoc @ {host} · bench-20000@3000 · thinking on")  # the picker has closed and switched
        term.type("a long one")
        term.keys("Enter")
        term.wait_for("Thinking…", timeout=15)
        term.keys("C-o")  # history, mid-answer
        term.wait_for("History — type to search")
        term.wait_for("first question · 6 msgs")  # listed, and still answering: browsing does not stop it
        term.keys("C-d")  # the open conversation is the newest
        screen = term.wait_for("for good?")
        assert "It is the conversation you" in screen  # (the line wraps inside the small window)
        term.keys("y")
        term.wait_for("Deleted “first question”")
        assert _conversations(home) == []
        term.keys("Escape")
        term.wait_for("New conversation with ad-hoc")

        term.keys("C-k")
        term.wait_for("in use")
        term.wait_for("shape-deepseek")
        term.keys("Right", "Home", "Down", "Enter")  # the model in use comes first, then the server's own list
        term.wait_for("· demo · thinking on")
        term.type("after the delete")
        term.keys("Enter")
        state = _wait_store(home, lambda s: len(s) == 1 and len(s[0][1]) == 2 and s[0][1][1][1] == "complete",
                            "a new conversation")
        assert state[0][0] == "after the delete"
        term.wait_for("first token", timeout=30)
        term.keys("C-e")
        term.wait_for("Exported to")
        exported = list(exports.glob("reasonchat-*.md"))
        assert len(exported) == 1
        assert "## You\n\nafter the delete" in exported[0].read_text(encoding="utf-8")

        term.keys("C-q")
        term.wait_for("exit=0")
        term.keys("Enter")  # start again with -c
        screen = term.wait_for("— after the delete")
        assert "after the delete" in screen.split("— after the delete", 1)[1]  # the exchange is shown again
        assert _conversations(home) == state
        term.keys("C-q")
        term.wait_until(lambda s: s.count("exit=0") == 2, "the second run to end")
    finally:
        term.close()


@pytest.mark.parametrize("width", [80, 160])
def test_a_three_column_compare(home: Path, server: DemoServer, width: int) -> None:
    """`reasonchat --compare a,b,c` in a real terminal: three columns (stacked at 80), each answering, one of
    them broken off by its server, then F6 continues the second in the chat."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "one"\n'
        f'[presets.one]\nbase_url = "{server.base_url}"\nmodel = "demo@300"\n'
        f'[presets.two]\nbase_url = "{server.base_url}"\nmodel = "shape-volcano@300"\n'
        f'[presets.three]\nbase_url = "{server.base_url}"\nmodel = "fault-midstream"\n', encoding="utf-8")
    pidfile = home.parent / "pid"
    term = Terminal(program(home, pidfile, "--compare one,two,three", after="; sleep 5"), width=width, height=50,
                    pidfile=pidfile)
    try:
        screen = term.wait_for("3 · three · fault-midstream")
        assert "1 · one · demo@300" in screen and "2 · two · shape-volcano@300" in screen
        title_rows = [n for n, line in enumerate(screen.split("\n")) if " · one · " in line or " · two · " in line]
        if width == 80:
            assert len(set(title_rows)) == 2  # stacked: the titles on different rows
        else:
            assert len(set(title_rows)) == 1  # side by side: one row
        term.type("Compare these")  # (sent as soon as the columns' keys are known)
        term.keys("Enter")
        term.wait_until(lambda s: s.count("Thought for") >= 2, "two columns never finished thinking", timeout=40)
        term.wait_for("upstream model", timeout=40)
        term.wait_until(lambda s: s.count("completion") >= 2, "the two answering columns never finished", 40)
        term.keys("F6")  # go on with column 2 in the chat
        term.wait_for("two · shape-volcano@300 · thinking on", timeout=20)
        from reasonchat.store import TranscriptStore

        with TranscriptStore(home / "reasonchat.db") as store:
            listed = store.list_conversations()
            assert len(listed) == 1 and len(store.compare_members(listed[0].id)) == 3
    finally:
        term.close()  # as a user closes the window mid-chat: the program must end


def _answers(home: Path) -> list[Any]:
    import sqlite3

    with sqlite3.connect(home / "reasonchat.db") as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT * FROM messages WHERE role = 'assistant' ORDER BY id").fetchall()


# Closing the terminal (the window, an SSH session, the tmux server) in each state the app can be in: the
# program ends within a few seconds, whatever it was doing, and an answer in flight is saved as stopped.
STATES = ["idle", "thinking", "answering", "compare", "picker", "modal"]


@pytest.mark.parametrize("state", STATES)
def test_closing_the_terminal_ends_the_program_and_saves_the_answer(home: Path, server: DemoServer,
                                                                     tmp_path: Path, state: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n'
        f'[presets.local]\nbase_url = "{server.base_url}"\nmodel = "demo@40"\n'
        f'[presets.other]\nbase_url = "{server.base_url}"\nmodel = "shape-volcano@40"\n', encoding="utf-8")
    pidfile = tmp_path / "pid"
    term = Terminal(program(home, pidfile, "--compare local,other" if state == "compare" else ""), pidfile=pidfile)
    streaming = state in ("thinking", "answering", "compare")
    try:
        term.wait_for("Compare — Enter asks" if state == "compare" else "local · demo@40")
        if streaming or state == "modal":
            term.type("a question to leave")
            term.keys("Enter")
            term.wait_for("Thinking…", timeout=15)
        if state in ("answering", "compare"):
            term.wait_for("About “a question to leave”", timeout=20)  # the answer has begun
        if state == "picker":
            term.keys("C-k")
            term.wait_for("Provider and model")
        if state == "modal":
            term.wait_for("· completion ", timeout=30)  # answered (its usage shown); then the delete question
            term.keys("C-o")
            term.wait_for("History — type to search")
            term.wait_for("a question to leave · 2 msgs")  # (listed: the list loads after the screen shows)
            term.keys("C-d")
            term.wait_for("for good?")
        if streaming:
            _wait_saved(home)
        term.close(within=8.0)
    finally:
        term.tmux("kill-server")
    answers = _answers(home)
    if streaming:
        assert answers and all(a["status"] == "stopped" and a["reasoning"] for a in answers)
        assert len(answers) == (2 if state == "compare" else 1)
        if state == "answering":
            assert answers[0]["content"].startswith("## About “a question to leave”")
    elif state == "modal":
        assert [a["status"] for a in answers] == ["complete"]  # nothing was deleted: the question was not answered


def test_a_math_answer_streams_in_as_math_with_its_reasoning_open(home: Path, server: DemoServer,
                                                                  tmp_path: Path) -> None:
    """The real program in a real terminal: a DeepSeek-style answer in LaTeX, paced, with the reasoning shown
    (`[ui] reasoning = "expanded"`): the live reasoning and the answer read as math while they stream and
    after; nothing of the LaTeX source is left on the screen but code."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n[ui]\nreasoning = "expanded"\n'
        f'[presets.local]\nbase_url = "{server.base_url}"\nmodel = "math-deepseek@60"\n', encoding="utf-8")
    pidfile = tmp_path / "pid"
    term = Terminal(program(home, pidfile, after="; sleep 5"), width=110, height=50, pidfile=pidfile)
    try:
        term.wait_for("local · math-deepseek@60 · thinking on")
        term.type("solve x^2 - 5x + 6 = 0")
        term.keys("Enter")
        live = term.wait_for("Thinking…", timeout=30)
        term.wait_until(lambda s: "Δ = b² - 4ac = 25 - 24 = 1" in s, "the live reasoning as math", timeout=30)
        screen = term.wait_for("⟦ x = 2 or x = 3 ⟧", timeout=60)
        for shown in ("To solve x² - 5x + 6 = 0, factor the left side:", "(x - 2)(x - 3) = 0",
                      "x = (5 ± √1)/2", "Δ = b² - 4ac = 1"):
            assert shown in screen, screen
        assert "\\(" not in screen and "\\frac" not in screen and "Thinking…" in live
        term.keys("C-q")
        term.wait_for("exit=0")
    finally:
        term.close()
