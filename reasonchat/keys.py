"""The TUI's keys that a user may move, by name: `[keys]` in the config maps these names to other keys
(`regenerate = "f5"`, `effort = "ctrl+g,f6"`), Textual's keymap applies them, and the key bar and F1 show
the keys in effect. Here, without Textual, so the config can check the names (with "did you mean").

Enter, ctrl+j, Up and the prompt's own editing keys are the text area's and stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# name -> (default key, what it does); the order is F1's
ACTIONS: dict[str, tuple[str, str]] = {
    "stop": ("escape", "stop the answer in flight (what arrived is kept and saved)"),
    "cancel_edit": ("escape", "while editing your last message, leave the edit"),
    "page_up": ("pageup", "scroll the conversation up, from the prompt"),
    "page_down": ("pagedown", "scroll the conversation down, from the prompt"),
    "top": ("ctrl+home", "the start of the conversation"),
    "bottom": ("ctrl+end", "the end of the conversation"),
    "reasoning_display": ("ctrl+t", "reasoning display for all turns: auto → expanded → collapsed → hidden"),
    "effort": ("ctrl+g", "how hard the model thinks: preset's own → low → medium → high → max"),
    "answer_now": ("ctrl+f", "while it thinks: stop the thinking and have it answer now"),
    "regenerate": ("ctrl+r", "regenerate the last answer, keeping the earlier one as a version (after the "
                             "reasoning ran out of room: with twice it)"),
    "older_version": ("alt+left", "the previous version of the last regenerated answer or edited question"),
    "newer_version": ("alt+right", "the next version (the conversation goes on from the version shown)"),
    "copy_answer": ("ctrl+y", "copy the last answer"),
    "new": ("ctrl+n", "new conversation"),
    "history": ("ctrl+o", "conversation history: search, open, continue, delete (ctrl+d)"),
    "picker": ("ctrl+k", "preset / model (→ models), thinking (ctrl+t); this conversation's role, temperature, "
                         "max tokens"),
    "export": ("ctrl+e", "export this conversation as Markdown"),
    "compare": ("f2", "compare: one question to 2 or 3 providers side by side"),
    "help": ("f1", "this help"),
    "quit": ("ctrl+q", "quit"),
}

_KEY = re.compile(r"^[a-z0-9_+\-]+(,[a-z0-9_+\-]+)*$")


def check(keys: Mapping[str, object]) -> list[tuple[str, str]]:
    """(name, problem) for each entry of a `[keys]` table that is wrong."""
    import difflib

    problems = []
    for name, value in keys.items():
        if name not in ACTIONS:
            close = difflib.get_close_matches(name, list(ACTIONS), n=1, cutoff=0.6)
            hint = f" — did you mean '{close[0]}'?" if close else f" (the names: {', '.join(ACTIONS)})"
            problems.append((name, f"unknown action '{name}'{hint}"))
        elif not isinstance(value, str) or not _KEY.match(value.replace(" ", "").lower()):
            problems.append((name, f"{name} must be a key like \"ctrl+g\" or \"f5\" (several: \"f5,ctrl+r\")"))
    return problems


def effective(keys: Mapping[str, str], name: str) -> str:
    """The key(s) `name` is on, given the config's `[keys]`."""
    return keys.get(name, ACTIONS[name][0]).replace(" ", "")
