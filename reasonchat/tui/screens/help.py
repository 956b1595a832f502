"""F1: every key, and where the rest lives (the command palette)."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from reasonchat.keys import ACTIONS, effective
from reasonchat.tui.screens.once import Modal

TEXT_KEYS = [  # the prompt's own keys: not remappable
    ("Enter", "send the message"),
    ("ctrl+j (or shift+enter)", "new line in the message"),
    ("Up (empty prompt)", "edit your last message: Enter sends it as a new version (alt+← shows the earlier)"),
    ("any letter", "types into the prompt, wherever the focus is"),
    ("Tab / shift+Tab (from the prompt)", "to the latest turn, and on up the conversation"),
    ("Enter / click on a reasoning title", "open or close that one"),
    ("← / → or a click on ◀ ▶ (a focused version mark)", "that message's other versions"),
    ("ctrl+p", "command palette: every action, themes, and copy reasoning / this turn / a code block"),
]
COMPARE_KEYS = [  # the compare screen's (F2)
    ("Space / Enter (choosing)", "tick 2 or 3 providers / compare them"),
    ("F5 / F6 / F7", "stop column 1 / 2 / 3 — or, once it is done, go on with it in the chat"),
    ("Escape", "stop every column; again to go back"),
]
PICKER_KEYS = [  # the picker's (ctrl+k)
    ("Enter", "pick the provider (with its model) or the model; in a field, done"),
    ("→ / ← (or Tab)", "to the models / back to the providers"),
    ("typing in the models", "filters them (Backspace takes back a character)"),
    ("Escape", "back, keeping what was switched"),
]
FOOTER = """
`reasonchat -c` opens the last conversation again, `reasonchat --conversation ID` a given one. Every
conversation is saved as it streams. `reasonchat ask`, `history` and `export` work on the same store.
Keys can be moved in the config: `[keys]` with the names in the last column (for example `regenerate = "f5"`).

*Escape or F1 closes this.*
"""


def help_text(keys: Mapping[str, str]) -> str:
    """Every key as it is now, the config's `[keys]` applied."""
    rows = ["# reasonchat — keys", "", "| key | what it does | name |", "|---|---|---|"]
    rows += [f"| **{key}** | {what} | |" for key, what in TEXT_KEYS]
    for name, (_, what) in ACTIONS.items():
        shown = " / ".join(effective(keys, name).split(","))
        rows.append(f"| **{shown}** | {what} | {name} |")
    for title, table in (("Compare (F2)", COMPARE_KEYS), ("The picker (ctrl+k)", PICKER_KEYS)):
        rows += ["", f"## {title}", "", "| key | what it does |", "|---|---|"]
        rows += [f"| **{key}** | {what} |" for key, what in table]
    return "\n".join(rows) + "\n" + FOOTER


class HelpScreen(Modal[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 95%; height: auto; max-height: 90%;
                                  background: $panel; border: round $accent; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("f1", "dismiss", "Close")]

    def __init__(self, keys: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keys = keys or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(help_text(self.keys))
