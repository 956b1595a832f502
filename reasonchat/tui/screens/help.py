"""F1: every key, and where the rest lives (the command palette)."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from reasonchat.keys import ACTIONS, effective

TEXT_KEYS = [  # the prompt's own keys: not remappable
    ("Enter", "send the message"),
    ("ctrl+j (or shift+enter)", "new line in the message"),
    ("Up (empty prompt)", "edit your last message: Enter sends it as a new version (alt+← shows the earlier)"),
    ("any letter", "types into the prompt, wherever the focus is"),
    ("Enter / click on a reasoning title", "open or close that one"),
    ("ctrl+p", "command palette: every action, themes, and copy reasoning / this turn / a code block"),
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
    return "\n".join(rows) + "\n" + FOOTER


class HelpScreen(ModalScreen[None]):
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
