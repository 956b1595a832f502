"""The key bar: Textual's `Footer`, without the memory it kept of every key bar it ever showed.

The footer rebuilds its keys whenever the screen's bindings change (opening a conversation, starting a new
one, moving the focus), and each key binds itself to the footer's `compact` setting. Textual drops such a
binding only when `compact` changes, which it never does here, so every key ever shown stayed alive with
everything it had drawn: ~0.4 MB and 6 widgets for each conversation opened, without end (Textual issue
#6666, open for 8.2.8). The bar forgets the bindings of the keys it has already removed each time it builds
new ones. Should Textual stop keeping them, there is nothing left to forget and this does nothing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer


class KeyBar(Footer):
    """On a narrow terminal the keys sit closer (Footer's compact form), so more of them fit."""

    NARROW = 100  # cells

    def on_resize(self) -> None:
        self.compact = self.size.width < self.NARROW

    def compose(self) -> ComposeResult:
        # Where Textual keeps the watchers of a reactive (textual/reactive.py: `_watch`, `_check_watchers`).
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:  # the keys of the last build are removed by now: only those still shown are kept
            watchers[:] = [(node, callback) for node, callback in watchers if getattr(node, "is_attached", True)]
        yield from super().compose()
