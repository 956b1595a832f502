"""One line at the top: preset · model · thinking on/off (· NOT SAVED when the store cannot be written),
and the conversation's title."""

from __future__ import annotations

from textual.widgets import Static

from reasonchat.sanitize import clean_line


class HeaderLine(Static):
    DEFAULT_CSS = """
    HeaderLine { height: 1; padding: 0 1; background: $primary-background; color: $text; text-style: bold; }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def show(self, preset: str, model: str, thinking: bool, title: str = "", saving: bool = True) -> None:
        switch = "thinking on" if thinking else "thinking off"
        line = f"{preset} · {model or '(first served)'} · {switch}"
        if not saving:
            line += " · NOT SAVED"
        if title:
            line += f"   —   {title}"
        self.update(clean_line(line, 200))
