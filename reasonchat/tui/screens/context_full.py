"""A message that may not fit the model's context window: send it anyway, or start a new conversation from a
summary of this one (the model writes it there, then the message is sent after it), or go back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from reasonchat.tui.screens.once import Modal


class ContextFull(Modal[str]):
    DEFAULT_CSS = """
    ContextFull { align: center middle; }
    ContextFull > Vertical { width: 76; height: auto; background: $panel; border: round $warning; padding: 1 2; }
    ContextFull .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("y", "decide('send')", "Send anyway"), Binding("s", "decide('summary')", "Summarize"),
                Binding("n", "decide('back')", "Back"), Binding("escape", "decide('back')", "Back")]

    def __init__(self, total: int, window: int) -> None:
        super().__init__()
        self.total, self.window = total, window

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"This message may not fit: about {self.total:,} tokens with the conversation, and the "
                         f"model's window is {self.window:,}.", markup=False)
            yield Static("s = a new conversation from a summary of this one (the model writes it, then your message "
                         "goes after it) · y = send anyway · n or Escape = back (the message stays)",
                         classes="hint", markup=False)

    def action_decide(self, decision: str) -> None:
        self.dismiss(decision)
