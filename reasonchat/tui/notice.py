"""Every notice (toast) reasonchat raises, as plain text: notices carry provider errors, model ids and titles,
so control sequences are removed and Textual markup in them (`[@click=app.quit]…`, a bracket that does not
parse) shows as written. Textual's own notices ("Saved screenshot to …") keep their markup: only what we say
goes through here, and a test holds that nothing of ours calls `notify` itself."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from reasonchat.errors import MissingKey, ReasonChatError
from reasonchat.text.sanitize import clean, clean_line


def tell(node: DOMNode, message: str, *, title: str = "", severity: SeverityLevel = "information",
         timeout: float | None = None) -> None:
    node.app.notify(clean(message), title=clean_line(title, 80), severity=severity, timeout=timeout, markup=False)


def in_the_tui(exc: ReasonChatError) -> str:
    """What an error says on the TUI's screens: a missing key points at the demo row of the picker (ctrl+k)
    rather than at a command-line flag."""
    if isinstance(exc, MissingKey):
        return f"{exc} — or try the offline demo: its row in the picker (ctrl+k)"
    return str(exc)
