"""The TUI's keys that a user may move, by name: `[keys]` in the config maps these names to other keys
(`regenerate = "f5"`, `effort = "ctrl+g,f6"`), Textual's keymap applies them, and the key bar and F1 show
the keys in effect. Here, without Textual, so the config can check the names (with "did you mean").

Enter, ctrl+j, Up and the prompt's own editing keys are the text area's and stay as they are.
"""

from __future__ import annotations

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
    "thinking": ("f3", "thinking on or off, for the next answers (in the picker too)"),
    "tools": ("f4", "tools on or off for this conversation (the [mcp.*] servers; `reasonchat tools` lists them)"),
    "math": ("f8", "math drawn as Unicode (x², ⟦ … ⟧) or shown as the LaTeX the model wrote"),
    "effort": ("ctrl+g", "how hard the model thinks: preset's own → low → medium → high → max"),
    "answer_now": ("ctrl+f", "while it thinks: stop the thinking and have it answer now"),
    "regenerate": ("ctrl+r", "regenerate the last answer, keeping the earlier one as a version (after the "
                             "reasoning ran out of room: with twice it)"),
    "older_version": ("alt+left", "the previous version of a regenerated answer or an edited question: the one "
                                  "whose ◀ ▶ has the focus (Tab to it; ← → there too), else the last"),
    "newer_version": ("alt+right", "the next version (the conversation goes on from the version shown)"),
    "editor": ("alt+e", "write the prompt in $VISUAL / $EDITOR (else vi): what it saves becomes the prompt"),
    "copy_answer": ("ctrl+y", "copy the last answer"),
    "new": ("ctrl+n", "new conversation"),
    "history": ("ctrl+o", "conversation history: search, open, continue, delete (ctrl+d)"),
    "picker": ("ctrl+k", "preset / model (→ models, type to filter), thinking; this conversation's role, "
                         "temperature, max tokens"),
    "export": ("ctrl+e", "export this conversation as Markdown"),
    "compare": ("f2", "compare: one question to 2 or 3 providers side by side"),
    "help": ("f1", "this help"),
    "quit": ("ctrl+q", "quit"),
}

# What a key may be called, as Textual names keys: modifiers, then one key. tests/unit/test_keys.py holds
# these to Textual's own names.
MODIFIERS = ("ctrl", "alt", "shift", "super", "meta", "hyper")
NAMED = ("escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup", "pagedown",
         "up", "down", "left", "right")
PUNCTUATION = ("exclamation_mark", "quotation_mark", "number_sign", "dollar_sign", "percent_sign", "ampersand",
               "apostrophe", "left_parenthesis", "right_parenthesis", "asterisk", "plus", "comma", "minus",
               "full_stop", "slash", "colon", "semicolon", "less_than_sign", "equals_sign", "greater_than_sign",
               "question_mark", "at", "left_square_bracket", "backslash", "right_square_bracket",
               "circumflex_accent", "underscore", "grave_accent", "left_curly_bracket", "vertical_line",
               "right_curly_bracket", "tilde")
KEYS = (*"abcdefghijklmnopqrstuvwxyz0123456789", *(f"f{n}" for n in range(1, 25)), *NAMED, *PUNCTUATION)
# Keys the app gives a meaning that [keys] cannot move: moving an action onto one of these takes that away.
# (F5/F6/F7 are the compare screen's column keys, on a screen of their own: the chat's actions may use them.)
FIXED = {"enter": "sending", "ctrl+j": "a new line", "shift+enter": "a new line", "tab": "moving the focus",
         "shift+tab": "moving the focus", "up": "editing the last message", "ctrl+p": "the command palette",
         "ctrl+c": "copying"}
# Actions that share a key by design: Escape stops an answer, else leaves an edit.
SHARED = {frozenset({"stop", "cancel_edit"})}


def check(keys: Mapping[str, object]) -> list[tuple[str, str]]:
    """(name, problem) for each entry of a `[keys]` table that is wrong: an action that does not exist, a key
    that is not one (with the nearest that is), or a key two actions would then share (one would vanish)."""
    import difflib

    problems = []
    for name, value in keys.items():
        if name not in ACTIONS:
            close = difflib.get_close_matches(name, list(ACTIONS), n=1, cutoff=0.6)
            hint = f" — did you mean '{close[0]}'?" if close else f" (the names: {', '.join(ACTIONS)})"
            problems.append((name, f"unknown action '{name}'{hint}"))
        elif not isinstance(value, str) or not value.replace(" ", ""):
            problems.append((name, f"{name} must be a key like \"ctrl+g\" or \"f5\" (several: \"f5,ctrl+r\")"))
        else:
            for key in _split(value):
                if problem := key_problem(key):
                    problems.append((name, f"{name}: {problem}"))
    if not problems:
        problems += _clashes(keys)
    return problems


def _split(value: str) -> list[str]:
    return [key for key in value.replace(" ", "").lower().split(",") if key]


def key_problem(key: str) -> str:
    """What is wrong with `key` as a key name ("" when nothing is), with the nearest name that is one."""
    *modifiers, base = key.split("+") if key != "+" else ["+"]
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"'{key}' is not a key: {unknown[0]!r} is not a modifier ({', '.join(MODIFIERS)})"
    if base in KEYS or (len(base) == 1 and base.isprintable() and base != " "):
        return ""
    import difflib

    close = difflib.get_close_matches(base, KEYS, n=1, cutoff=0.5)
    hint = f" — did you mean '{'+'.join([*modifiers, close[0]])}'?" if close else " (a letter, a digit, f1–f24, " \
        f"or one of {', '.join(NAMED)})"
    return f"'{key}' is not a key{hint}"


def _clashes(keys: Mapping[str, object]) -> list[tuple[str, str]]:
    """Keys that two actions would share once `keys` applies (or that the app keeps for itself)."""
    owners: dict[str, list[str]] = {}
    for name in ACTIONS:
        for key in _split(effective({k: str(v) for k, v in keys.items()}, name)):
            owners.setdefault(key, []).append(name)
    problems = []
    for key, names in owners.items():
        moved = [n for n in names if n in keys]
        if key in FIXED and moved:
            problems.append((moved[0], f"{moved[0]}: '{key}' is the app's key for {FIXED[key]} — pick another"))
        elif len(names) > 1 and frozenset(names) not in SHARED and moved:
            others = [n for n in names if n != moved[0]]
            problems.append((moved[0], f"{moved[0]}: '{key}' is {others[0]}'s key too — {others[0]} would be left "
                                       f"without one; pick another key, or move {others[0]} as well"))
    return problems


def effective(keys: Mapping[str, str], name: str) -> str:
    """The key(s) `name` is on, given the config's `[keys]`."""
    return keys.get(name, ACTIONS[name][0]).replace(" ", "").lower()
