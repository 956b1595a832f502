"""The question a tool call waits on: which server, which tool, the arguments (pretty JSON, long values folded).
`y` allows it once, `a` allows this tool until reasonchat quits, `n` or Escape declines (the model is told).

The question comes when the model asks, which may be while the user types the next message: a "y" or an "a"
of a word must not allow a call. So its keys answer only `arms_after` seconds after it shows (the line of keys
appears then); what is typed before goes on into the prompt below, where it was meant to go."""

from __future__ import annotations

from typing import Literal

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TextArea

from reasonchat.core.tool_calls import Call
from reasonchat.text.sanitize import clean_line
from reasonchat.tools.describe import pretty_arguments
from reasonchat.tui.screens.once import Modal

Decision = Literal["once", "always", "no"]


class ApprovalScreen(Modal[str]):
    DEFAULT_CSS = """
    ApprovalScreen { align: center middle; }
    ApprovalScreen > Vertical { width: 90%; max-width: 100; height: auto; max-height: 80%; background: $panel;
                                border: round $warning; padding: 1 2; }
    ApprovalScreen .question { text-style: bold; }
    ApprovalScreen VerticalScroll { height: auto; max-height: 20; margin: 1 0; background: $surface; }
    ApprovalScreen .arguments { padding: 0 1; }
    ApprovalScreen .hint { color: $text-muted; }
    """
    arms_after = 0.5  # seconds: longer than a typist's pause between two keys, shorter than reading the question
    BINDINGS = [Binding("y", "decide('once')", "Allow once"), Binding("a", "decide('always')", "Allow always"),
                Binding("n", "decide('no')", "Decline"), Binding("escape", "decide('no')", "Decline")]

    def __init__(self, call: Call, description: str = "") -> None:
        super().__init__()
        self.call = call
        self.description = description
        self.armed = False

    def compose(self) -> ComposeResult:
        call = self.call
        with Vertical():
            yield Static(f"Allow this tool call?  ⚙ {clean_line(call.server, 60)} · {clean_line(call.tool, 80)}",
                         classes="question", markup=False)
            if self.description:
                yield Static(clean_line(self.description, 300), classes="hint", markup=False)
            with VerticalScroll():
                yield Static(pretty_arguments(call.call.arguments), classes="arguments", markup=False)
            yield Static("(keys answer in a moment — what you were typing stays in the prompt)", id="keys",
                         classes="hint", markup=False)

    def on_mount(self) -> None:
        self.set_timer(self.arms_after, self.arm)

    def arm(self) -> None:
        self.armed = True
        self.query_one("#keys", Static).update(
            f"y = allow once · a = allow {clean_line(self.call.tool, 40)} until reasonchat quits · "
            "n or Escape = decline (the model is told)")

    def on_key(self, event: events.Key) -> None:
        """Before it is armed, a key is not an answer: a character goes to the prompt below it."""
        if self.armed:
            return
        event.stop()
        event.prevent_default()
        below = self.app.screen_stack[-2].focused if len(self.app.screen_stack) > 1 else None
        if event.is_printable and event.character and isinstance(below, TextArea) and not below.read_only:
            below.insert(event.character)

    def action_decide(self, decision: str) -> None:
        if self.armed:
            self.dismiss(decision)
