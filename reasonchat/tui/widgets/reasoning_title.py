"""The one-line, focusable title of a reasoning block; Enter or a click asks the block to toggle."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static


class ReasoningTitle(Static, can_focus=True):
    DEFAULT_CSS = """
    ReasoningTitle { height: 1; width: 1fr; color: $text-muted; padding: 0 0; }
    ReasoningTitle:hover { background: $boost; }
    ReasoningTitle:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    """
    BINDINGS = [Binding("enter", "toggle_reasoning", "Toggle reasoning", show=False)]

    class Toggle(Message):
        """The user wants this block opened or closed."""

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def show(self, text: str) -> None:
        """Set the text: one line of fixed height, so this never needs a layout pass."""
        self.update(text, layout=False)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Toggle())

    def action_toggle_reasoning(self) -> None:
        self.post_message(self.Toggle())
