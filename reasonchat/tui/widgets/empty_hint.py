"""What an empty conversation shows: who you are talking to, and the few keys that matter first.

On an 80x24 terminal the key bar has room for a handful of keys; this says the essential ones in words,
so the first screen is never a blank pane."""

from __future__ import annotations

from textual.widgets import Static

from reasonchat.text.sanitize import clean_line


def hint_text(preset: str, model: str, reasoning: str) -> str:
    return (
        f"New conversation with {clean_line(preset, 60)} · {clean_line(model or 'the first model it serves', 60)}"
        f" · {clean_line(reasoning, 60)}\n\n"
        "Type a message; Enter sends it, ctrl+j starts a new line.\n"
        "ctrl+k  preset, model, thinking     ctrl+o  earlier conversations\n"
        "ctrl+g  how hard it thinks          F2 compare · F1 keys · ctrl+q quit"
    )


class EmptyHint(Static):
    DEFAULT_CSS = """
    EmptyHint { color: $text-muted; padding: 1 2; }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, id="hint")

    def show(self, preset: str, model: str, reasoning: str) -> None:
        self.update(hint_text(preset, model, reasoning))
