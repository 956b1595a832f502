"""The multi-line prompt: Enter sends, ctrl+j (or shift+enter where the terminal reports it) is a newline,
Up in an empty prompt brings back the last message to edit and resend."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea


class PromptInput(TextArea):
    DEFAULT_CSS = """
    PromptInput { height: auto; max-height: 10; min-height: 3; border: round $accent; }
    """

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class EditLast(Message):
        """Up was pressed in an empty prompt."""

    def __init__(self) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", id="prompt")
        self.border_title = "Message · Enter sends · ctrl+j newline"

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            if self.text.strip():
                self.post_message(self.Submitted(self.text))
            return
        if event.key in ("ctrl+j", "shift+enter"):
            event.prevent_default()
            event.stop()
            self.insert("\n")
            return
        if event.key == "up" and not self.text:
            event.prevent_default()
            event.stop()
            self.post_message(self.EditLast())
            return
        await super()._on_key(event)
