"""F1: every key, and where the rest lives (the command palette)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# reasonchat — keys

| key | what it does |
|---|---|
| **Enter** | send the message |
| **ctrl+j** (or shift+enter) | new line in the message |
| **Up** (empty prompt) | edit your last message: the prompt says so; Enter replaces that exchange |
| **Escape** | stop the answer in flight (what arrived is kept and saved); while editing, leave the edit |
| **PageUp / PageDown** | scroll the conversation, from the prompt |
| **ctrl+home / ctrl+end** | the start / the end of the conversation |
| any letter | types into the prompt, wherever the focus is |
| **ctrl+t** | reasoning display for all turns: auto → expanded → collapsed → hidden |
| **Enter / click** on a reasoning title | open or close that one |
| **ctrl+g** | how hard the model thinks: preset's own → low → medium → high → max (the header shows what is sent) |
| **ctrl+f** (while it thinks) | stop the thinking and have it answer now, from the reasoning so far |
| **ctrl+r** | regenerate the last answer (after reasoning used the whole length limit: with twice the room) |
| **ctrl+y** | copy the last answer |
| **ctrl+n** | new conversation |
| **ctrl+o** | conversation history: search, open, continue, delete (ctrl+d) |
| **ctrl+k** | preset / model (→ models), thinking (ctrl+t); this conversation's role, temperature, max tokens |
| **ctrl+e** | export this conversation as Markdown |
| **ctrl+p** | command palette: every action, and copy reasoning / this turn / a code block |
| **F1** | this help |
| **ctrl+q** | quit |

`reasonchat -c` opens the last conversation again, `reasonchat --conversation ID` a given one. Every
conversation is saved as it streams. `reasonchat ask`, `history` and `export` work on the same store.

*Escape or F1 closes this.*
"""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 95%; height: auto; max-height: 90%;
                                  background: $panel; border: round $accent; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)
