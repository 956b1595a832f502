"""alt+e: the prompt in the user's own editor — `$VISUAL`, else `$EDITOR`, else `vi`, as git and fish choose.

The app suspends (the terminal back in its normal mode, the editor owning it), the editor edits a private
temporary file holding the prompt, and what it saved becomes the prompt. An editor that fails to start or
exits non-zero leaves the prompt as it was, and says so; the temporary file is removed either way.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonchat.text.sanitize import clean_line

if TYPE_CHECKING:
    from textual.widgets import TextArea


def editor_command() -> list[str]:
    """The editor to run, as a command line (`$VISUAL` / `$EDITOR` may hold arguments: "code --wait")."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                return [value]
    return ["vi"]


def edit(text: str) -> tuple[str | None, str]:
    """Run the editor on `text` (call it with the app suspended): (the edited text, "") or (None, why not)."""
    command = editor_command()
    handle, name = tempfile.mkstemp(prefix="reasonchat-prompt-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            return None, f"could not start the editor {clean_line(command[0], 60)!r}: {exc.strerror or exc}"
        if done.returncode != 0:
            return None, f"the editor exited with {done.returncode}: the prompt is as it was"
        edited = path.read_text(encoding="utf-8", errors="replace")
        return (edited[:-1] if edited.endswith("\n") and not text.endswith("\n") else edited), ""
    finally:
        path.unlink(missing_ok=True)


def edit_prompt(app: Any, prompt: TextArea, say: Callable[[str], None]) -> None:
    """alt+e: suspend `app`, edit the prompt's text in the editor, and put what it saved in the prompt (the
    cursor at its end). Where the app cannot hand the terminal over (headless, the web), it says so."""
    from textual.app import SuspendNotSupported

    try:
        with app.suspend():
            edited, problem = edit(prompt.text)
    except SuspendNotSupported:
        say("This terminal cannot hand the screen to an editor")
        return
    if edited is None:
        say(problem)
        return
    prompt.text = edited
    prompt.move_cursor(prompt.document.end)
    say("The prompt as your editor saved it — Enter sends")
