"""The line above a message that has other versions (a regenerated answer, an edited question): "◀ 2/3 ▶".

Nothing is deleted by regenerate or edit; this is how the earlier versions are found again — every one of
them: a click on ◀ or ▶ steps that message's versions, and so do ← / → (and alt+← / alt+→) while the mark has
the focus (Tab and shift+Tab reach it). alt+← / alt+→ elsewhere step the last message that has versions.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static


class VersionMark(Static, can_focus=True):
    DEFAULT_CSS = """
    VersionMark { height: 1; width: auto; margin: 1 0 0 0; padding: 0 1; color: $text-muted; }
    VersionMark:focus { color: $text; background: $accent 30%; text-style: bold; }
    VersionMark:hover { color: $text; }
    """
    BINDINGS = [Binding("left", "step(-1)", "Older version", show=False),
                Binding("right", "step(1)", "Newer version", show=False)]

    class Step(Message):
        """Show another version of the message this mark is for."""

        def __init__(self, message_id: int, step: int) -> None:
            super().__init__()
            self.message_id, self.step = message_id, step

    def __init__(self, for_message: int, number: int, count: int) -> None:
        super().__init__("", markup=False)
        self.for_message = for_message  # (not `message_id`: this is not a message)
        self.show(number, count)

    def show(self, number: int, count: int) -> None:
        self.number, self.count = number, count
        self.update(f"◀ {number}/{count} ▶   versions: click ◀ ▶, or Tab here and ← →", layout=False)

    def action_step(self, step: int) -> None:
        self.post_message(self.Step(self.for_message, step))

    def on_click(self, event: events.Click) -> None:
        """◀ steps back, ▶ on: each is the half of "◀ n/m ▶" it ends."""
        middle = 1 + len(f"◀ {self.number}/{self.count} ▶") // 2  # (after the padding's cell)
        if event.x <= 2 * middle - 1:
            event.stop()
            self.action_step(-1 if event.x < middle else 1)
