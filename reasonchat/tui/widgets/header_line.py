"""One line at the top: preset · model · what the next request sends about thinking ("thinking on · effort
high") · what the conversation has cost (· NOT SAVED when the store cannot be written), and its title."""

from __future__ import annotations

from textual.widgets import Static

from reasonchat.text.sanitize import clean_line


class HeaderLine(Static):
    DEFAULT_CSS = """
    HeaderLine { height: 1; padding: 0 1; background: $primary-background; color: $text; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def show(self, preset: str, model: str, reasoning: str, title: str = "", saving: bool = True,
             cost: str = "") -> None:
        line = f"{preset} · {model or '(first served)'} · {reasoning}"
        if cost:
            line += f" · {cost}"
        if not saving:
            line += " · NOT SAVED"
        if title:
            line += f"   —   {title}"
        self.update(clean_line(line, 200))
