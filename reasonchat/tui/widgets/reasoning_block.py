"""The reasoning of one answer: dimmed, collapsible, with a live title.

While the model thinks the title reads "⠋ Thinking… 3.2 s · 120 tokens" and the body shows only the
tail of the text (cheap to redraw at 20 Hz however long the reasoning gets); once it is done the title
reads "Thought for 4.2 s · 135 tokens" (~ marks an estimate) and the full text is rendered when shown.
"""

from __future__ import annotations

from textual.markup import escape
from textual.widgets import Collapsible, Static

from reasonchat.core.reply import Reply
from reasonchat.sanitize import clean
from reasonchat.tui import clock

TAIL_LINES = 8
TAIL_CHARS = 1200


class ReasoningBlock(Collapsible):
    DEFAULT_CSS = """
    ReasoningBlock {
        background: $background;
        border-top: none;
        padding: 0 0 0 0;
        margin: 0 0 0 0;
        color: $text-muted;
    }
    ReasoningBlock > Contents { padding: 0 0 0 2; }
    ReasoningBlock .reasoning-text { color: $text-muted; text-style: italic; }
    ReasoningBlock CollapsibleTitle { color: $text-muted; padding: 0 0; }
    """

    def __init__(self, mode: str) -> None:
        self._body = Static("", classes="reasoning-text", markup=False)
        super().__init__(self._body, title="Waiting…", collapsed=mode == "collapsed")
        self.mode = mode
        self.chosen: bool | None = None  # the user toggled this one: keep it until the next ctrl+t
        self._shown_version = -1
        self._full = False

    def on_collapsible_toggled(self, event: Collapsible.Toggled) -> None:
        if event.collapsible is self:
            self.chosen = self.collapsed
            self._shown_version = -1  # expanding a finished block renders its full text

    def set_mode(self, mode: str, answering: bool) -> None:
        """Apply the display mode (ctrl+t or [ui] reasoning) to this block."""
        self.mode = mode
        self.chosen = None
        self.display = mode != "hidden"
        if mode == "expanded":
            self.collapsed = False
        elif mode == "collapsed":
            self.collapsed = True
        elif mode == "auto":
            self.collapsed = answering

    def show(self, reply: Reply) -> None:
        """Refresh the title and body from `reply` (called on a timer while it streams, once after)."""
        self.title = escape(self._title_for(reply))  # titles are markup; model ids are not
        if not reply.reasoning_chunks and reply.done:
            self.display = False
            return
        if self.mode == "auto" and self.chosen is None:
            self.collapsed = bool(reply.content) or (reply.done and bool(reply.reasoning))
        if reply.version == self._shown_version and self._full == reply.done:
            return
        self._shown_version = reply.version
        self._full = reply.done
        if self.collapsed and not reply.done:
            return
        text = reply.reasoning
        if not reply.done and len(text) > TAIL_CHARS:
            tail = text[-TAIL_CHARS:].split("\n")[-TAIL_LINES:]
            text = "…" + "\n".join(tail)
        self._body.update(clean(text))

    def _title_for(self, reply: Reply) -> str:
        count = reply.reasoning_tokens
        tokens = "" if count is None else f" · {'' if count[1] else '~'}{count[0]} tokens"
        seconds = reply.reasoning_seconds
        if not reply.done and not reply.content:
            if not reply.reasoning_chunks:
                return f"{clock.spinner()} Waiting for {clean(reply.model)}…"
            start = reply.reasoning_started_at or clock.now()
            return f"{clock.spinner()} Thinking… {max(0.0, clock.now() - start):.1f} s{tokens}"
        return f"Thought for {seconds or 0.0:.1f} s{tokens}"
