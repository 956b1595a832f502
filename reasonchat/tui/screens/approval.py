"""The question a tool call waits on: which server, which tool, the arguments (pretty JSON, long values folded).
`y` allows it once, `a` allows this tool until reasonchat quits, `n` or Escape declines (the model is told)."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

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
    BINDINGS = [Binding("y", "decide('once')", "Allow once"), Binding("a", "decide('always')", "Allow always"),
                Binding("n", "decide('no')", "Decline"), Binding("escape", "decide('no')", "Decline")]

    def __init__(self, call: Call, description: str = "") -> None:
        super().__init__()
        self.call = call
        self.description = description

    def compose(self) -> ComposeResult:
        call = self.call
        with Vertical():
            yield Static(f"Allow this tool call?  ⚙ {clean_line(call.server, 60)} · {clean_line(call.tool, 80)}",
                         classes="question", markup=False)
            if self.description:
                yield Static(clean_line(self.description, 300), classes="hint", markup=False)
            with VerticalScroll():
                yield Static(pretty_arguments(call.call.arguments), classes="arguments", markup=False)
            yield Static(f"y = allow once · a = allow {clean_line(call.tool, 40)} until reasonchat quits · "
                         "n or Escape = decline (the model is told)", classes="hint", markup=False)

    def action_decide(self, decision: str) -> None:
        self.dismiss(decision)
