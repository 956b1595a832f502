"""Screens that can be dismissed only while they are on top.

Keys typed in a burst (Enter on a choice, then more keys and Enter) can ask a screen to dismiss itself again
after its first dismissal has already taken it away: Textual's `dismiss` pops whatever screen is on top, and
that second one took the chat screen with it — the app sat on a blank screen. A screen that is not on top
any more has nothing to dismiss."""

from __future__ import annotations

import asyncio

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen, Screen, ScreenResultType


class DismissedOnce(Screen[ScreenResultType]):
    def dismiss(self, result: ScreenResultType | None = None) -> AwaitComplete:
        if self.app.screen is not self:
            return AwaitComplete(asyncio.sleep(0))
        return super().dismiss(result)


class Modal(ModalScreen[ScreenResultType], DismissedOnce[ScreenResultType]):
    """A modal screen (over the chat, which shows through it dimmed) that is dismissed once.

    ModalScreen comes first: Textual inherits DEFAULT_CSS along the first base only, so with DismissedOnce
    first a modal took Screen's opaque background instead of ModalScreen's translucent one, and every
    question (a tool call's approval too) hid the conversation it was about."""
