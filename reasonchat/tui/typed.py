"""The app, typed: screens reach `ReasonChatApp`'s own actions through this, not `# type: ignore`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from reasonchat.tui.app import ReasonChatApp


def reason_app(node: MessagePump) -> ReasonChatApp:
    from reasonchat.tui.app import ReasonChatApp  # here, not at the top: app.py imports the screens

    app = node.app
    if not isinstance(app, ReasonChatApp):
        raise TypeError(f"{type(node).__name__} is not running inside reasonchat's app")
    return app
