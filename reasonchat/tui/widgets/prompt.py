"""The multi-line prompt: Enter sends, ctrl+j (or shift+enter where the terminal reports it) is a newline,
Up in an empty prompt brings back the last message to edit and resend (a long one held aside, as below).

A large paste (a log, a file: over LARGE_PASTE characters) is held aside and shown as one line,
"[pasted 1,048,576 characters #1]", which the message expands when sent: the text area would otherwise
re-wrap a megabyte on every key. Deleting that line drops the paste.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import EditResult

LARGE_PASTE = 10_000  # characters


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
        self._pasted: dict[str, str] = {}

    def message(self) -> str:
        """The text to send: the prompt with each held paste put back in its place."""
        text = self.text
        for token, pasted in self._pasted.items():
            text = text.replace(token, pasted, 1)
        return text

    def clear(self) -> EditResult:
        self._pasted.clear()
        return super().clear()

    def put_back(self, text: str) -> None:
        """Put a sent message back to be edited; a long one comes back held aside, as a large paste does."""
        self.clear()
        self.insert(text if len(text) <= LARGE_PASTE else self._hold(text))

    def _hold(self, text: str) -> str:
        token = f"[pasted {len(text):,} characters #{len(self._pasted) + 1}]"
        self._pasted[token] = text
        return token

    async def _on_paste(self, event: events.Paste) -> None:
        if len(event.text) <= LARGE_PASTE:
            return  # TextArea's own handler inserts it
        event.prevent_default()
        self.insert(self._hold(event.text))

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            if self.text.strip():
                self.post_message(self.Submitted(self.message()))
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
