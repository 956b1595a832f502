"""What the user sent, as plain text (never Markdown: their text is shown exactly as typed)."""

from __future__ import annotations

from textual.widgets import Static

from reasonchat.sanitize import clean


class UserMessage(Static):
    DEFAULT_CSS = """
    UserMessage {
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: thick $accent;
        background: $boost;
    }
    """

    def __init__(self, text: str, message_id: int | None = None) -> None:
        super().__init__(clean(text), markup=False)
        self.text = text
        self.message_id = message_id
