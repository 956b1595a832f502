"""One tool call as one line — `⚙ server · tool(arguments…) — its state` — that opens (a click, or Enter when
it has the focus) to its full arguments and result. The line follows the call as it waits, runs and ends;
it is one fixed-height line, so a tick's update needs no layout pass."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from reasonchat.core.tool_calls import Call
from reasonchat.tools.describe import call_title, details


class ToolCallLine(Vertical, can_focus=True):
    DEFAULT_CSS = """
    ToolCallLine { height: auto; padding: 0 1; }
    ToolCallLine > .call-title { height: 1; color: $text-muted; }
    ToolCallLine.-waiting > .call-title { color: $warning; }
    ToolCallLine.-failed > .call-title { color: $error; }
    ToolCallLine:focus > .call-title { background: $block-cursor-background; color: $block-cursor-foreground; }
    ToolCallLine > .call-details { color: $text-muted; padding: 0 0 0 2; display: none; }
    ToolCallLine.-open > .call-details { display: block; }
    """
    BINDINGS = [Binding("enter", "open_close", "Open or close the call", show=False)]

    def __init__(self, call: Call) -> None:
        super().__init__()
        self.call = call
        self.title_line = Static("", classes="call-title", markup=False)
        self.details = Static("", classes="call-details", markup=False)
        self._shown = ("", False)

    def compose(self) -> ComposeResult:
        yield self.title_line
        yield self.details

    def on_mount(self) -> None:
        self.show()

    def show(self, call: Call | None = None) -> None:
        """Follow the call's state (a timer calls this while the answer is live)."""
        if call is not None:
            self.call = call
        call = self.call
        title = ("▼ " if self.has_class("-open") else "▶ ") + call_title(call, limit=max(40, self.size.width - 40))
        if title != self._shown[0]:
            self.title_line.update(title, layout=False)
        if self.has_class("-open") and (not self._shown[1] or title != self._shown[0]):
            self.details.update(details(call))
        self._shown = (title, self.has_class("-open"))
        self.set_class(call.state == "waiting", "-waiting")
        self.set_class(call.state == "failed", "-failed")

    def on_resize(self) -> None:
        self._shown = ("", self._shown[1])  # (the line's room changed: the arguments fold at its width)
        self.show()

    def action_open_close(self) -> None:
        self.toggle_class("-open")
        self._shown = ("", False)
        self.show()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open_close()
