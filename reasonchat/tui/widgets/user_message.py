"""What the user sent, as plain text (never Markdown: their text is shown exactly as typed), and the files
sent with it as chips (`📎 greet.py · 2.1 KB`) that a click opens to the start of each text file.

A huge message (a pasted log, a file) is shown by its start and its size: wrapping a megabyte on every
layout would freeze the screen, and the whole text is sent, saved and exported all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Static

from reasonchat.text.sanitize import clean

if TYPE_CHECKING:
    from reasonchat.core.attachments import Attachment

SHOWN_MAX = 4000  # characters of a message shown on screen
FILE_ROWS = 12  # lines of an attached text file shown when its message is opened


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

    def __init__(self, text: str, message_id: int | None = None, attachments: Sequence[Attachment] = ()) -> None:
        self.text = text
        self.message_id = message_id
        self.attachments = tuple(attachments)
        self.opened = False
        super().__init__(self._shown(), markup=False)

    def _shown(self) -> str:
        lines = [shown(self.text)]
        for attached in self.attachments:
            lines.append(f"{'▼' if self.opened else '▶'} 📎 {clean(attached.label)}")
            if self.opened and attached.kind == "text":
                rows = attached.text.splitlines()
                lines += [f"    {clean(row)}" for row in rows[:FILE_ROWS]]
                if len(rows) > FILE_ROWS:
                    lines.append(f"    … {len(rows) - FILE_ROWS:,} more lines (sent whole)")
        return "\n".join(lines)

    def on_click(self, event: events.Click) -> None:
        if self.attachments:
            event.stop()
            self.opened = not self.opened
            self.update(self._shown())
