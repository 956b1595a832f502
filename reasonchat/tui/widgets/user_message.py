"""What the user sent, as plain text (never Markdown: their text is shown exactly as typed).

A huge message (a pasted log, a file) is shown by its start and its size: wrapping a megabyte on every
layout would freeze the screen, and the whole text is sent, saved and exported all the same.
"""

from __future__ import annotations

from textual.widgets import Static

from reasonchat.text.sanitize import clean

SHOWN_MAX = 4000  # characters of a message shown on screen


def shown(text: str) -> str:
    if len(text) <= SHOWN_MAX:
        return clean(text)
    return f"{clean(text[:SHOWN_MAX])}\n… ({len(text):,} characters in all, sent and saved in full)"


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
        super().__init__(shown(text), markup=False)
        self.text = text
        self.message_id = message_id
