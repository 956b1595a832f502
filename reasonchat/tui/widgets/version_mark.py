"""The line above a message that has other versions (a regenerated answer, an edited question):
"◀ 2/3 ▶" and the keys that step through them. Nothing is deleted by regenerate or edit; this is how the
earlier versions are found again."""

from __future__ import annotations

from textual.widgets import Static


class VersionMark(Static):
    DEFAULT_CSS = """
    VersionMark { height: 1; margin: 1 0 0 0; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, for_message: int, number: int, count: int) -> None:
        super().__init__("", markup=False)
        self.for_message = for_message  # (not `message_id`: this is not a message)
        self.show(number, count)

    def show(self, number: int, count: int) -> None:
        self.number, self.count = number, count
        self.update(f"◀ {number}/{count} ▶   versions: alt+← alt+→", layout=False)
