"""alt+e in a real terminal (tmux): the app hands the terminal to `$VISUAL`, a scripted editor here, and comes
back with what it saved in the prompt; an editor that fails leaves the prompt as it was."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from reasonchat.demo.server import DemoServer
from tests.e2e.test_tmux import Terminal


def editor_session(home: Path, server: DemoServer, tmp_path: Path, script: str) -> Terminal:
    """reasonchat in tmux with `$VISUAL` a shell script of `script`'s lines (`$1`: the file to edit), up."""
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    editor.chmod(0o755)
    pidfile = tmp_path / "pid"
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n[presets.local]\nbase_url = "{server.base_url}"\nmodel = "demo@0"\n',
        encoding="utf-8")
    run = f"echo $$ > {shlex.quote(str(pidfile))}; exec {shlex.quote(sys.executable)} -m reasonchat"
    command = (f"env -u EDITOR REASONCHAT_HOME={shlex.quote(str(home))} VISUAL={shlex.quote(str(editor))} "
               f"TERM=xterm-256color sh -c {shlex.quote(run)}; sleep 5")
    term = Terminal(command, pidfile=pidfile)
    try:
        term.wait_for("local · demo@0")
    except BaseException:
        term.close()
        raise
    return term


def test_alt_e_edits_the_prompt_in_the_editor_and_sends_it(home: Path, server: DemoServer, tmp_path: Path) -> None:
    term = editor_session(home, server, tmp_path,
                          'printf "%s\\n%s" "$(cat "$1")" "a second line from the editor" > "$1"\n')
    try:
        term.type("typed here first")
        term.keys("M-e")
        term.wait_until(lambda shown: all(t in shown for t in ("a second line from the editor", "typed here first",
                                                               "as your editor saved it")),
                        "the prompt did not come back as the editor saved it", timeout=15)
        term.keys("Enter")
        # (the request itself, not a title on screen: a long answer may scroll the title out of the pane)
        term.wait_until(lambda _: bool(server.chat_bodies()), "the message was never sent", timeout=30)
        user = [m for m in server.chat_bodies()[-1]["messages"] if m["role"] == "user"][-1]["content"]
        assert user == "typed here first\na second line from the editor"
    finally:
        term.close()


def test_an_editor_that_fails_leaves_the_prompt_as_it_was(home: Path, server: DemoServer, tmp_path: Path) -> None:
    term = editor_session(home, server, tmp_path, 'echo changed > "$1"\nexit 3\n')
    try:
        term.type("keep me")
        term.keys("M-e")
        # (both: the line comes a frame before the rest of the screen is drawn again after the editor)
        screen = term.wait_until(lambda shown: "the editor exited with 3" in shown and "keep me" in shown,
                                 "the prompt did not come back as it was", timeout=15)
        assert "changed" not in screen
    finally:
        term.close()
