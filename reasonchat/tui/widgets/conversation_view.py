"""The conversation pane: what it holds (messages, answers, the "◀ 2/3 ▶" marks of messages with versions)
and how a stored conversation comes onto it — its end at once, the turns before it a batch per frame once
the end is drawn, so a long conversation never holds the loop for long. It knows widgets, not the store:
the screen gives it the messages and their versions."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget

from reasonchat.tui.widgets.empty_hint import EmptyHint

if TYPE_CHECKING:
    from reasonchat.store.transcripts import StoredMessage
    from reasonchat.tui.widgets.stored_turn import StoredTurn
    from reasonchat.tui.widgets.turn import AssistantTurn

FIRST_WIDGETS = 8  # messages mounted at once when a conversation opens: more than a screenful of its end
BATCH_WIDGETS = 6  # messages mounted per frame after that


class ConversationView(VerticalScroll):
    DEFAULT_CSS = """
    ConversationView { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    ConversationView > .-editing { opacity: 45%; }
    """

    def __init__(self) -> None:
        super().__init__(id="conversation")
        self.mounting_earlier = False  # the earlier turns of a conversation being opened are still being mounted
        self._opening = 0  # which opening is current: a newer one stops an older one's mounting

    def compose(self) -> ComposeResult:
        yield EmptyHint()

    def turns(self) -> list[AssistantTurn | StoredTurn]:
        """The answers on screen, oldest first: the turns of this session, and those opened from history."""
        from reasonchat.tui.widgets.stored_turn import StoredTurn
        from reasonchat.tui.widgets.turn import AssistantTurn

        return [w for w in self.children if isinstance(w, AssistantTurn | StoredTurn)]

    def clear(self) -> None:
        """Everything but the empty-conversation hint; what was still being mounted stops."""
        self._opening += 1
        self.mounting_earlier = False
        hint = self.query_one(EmptyHint)
        for child in list(self.children):
            if child is not hint:
                child.remove()

    async def show(self, messages: list[StoredMessage], versions: dict[int, tuple[int, int]],
                   reasoning_mode: str) -> None:
        """Mount a stored conversation (each answer one `StoredTurn`, drawn from lines rendered off the loop)."""
        from reasonchat.tui.widgets.stored_turn import StoredTurn
        from reasonchat.tui.widgets.user_message import UserMessage
        from reasonchat.tui.widgets.version_mark import VersionMark

        widgets: list[Widget] = []
        for m in messages:
            if m.id in versions:
                widgets.append(VersionMark(m.id, *versions[m.id]))
            if m.role == "user":
                widgets.append(UserMessage(m.content, m.id, m.attachments))
            elif m.role == "assistant":
                widgets.append(StoredTurn(m.to_reply(), reasoning_mode, m.id))
        self._opening += 1
        await self.mount_all(widgets[-FIRST_WIDGETS:])
        if len(widgets) > FIRST_WIDGETS:
            self.mounting_earlier = True
            self.run_worker(self._mount_earlier(widgets[:-FIRST_WIDGETS], self._opening), group="opening",
                            exclusive=True)

    async def _mount_earlier(self, widgets: list[Widget], opening: int) -> None:
        """The turns above what is on screen, a batch per frame, upwards (the view stays at the end). Only once
        the end is drawn: while children are being mounted into it, Textual does not lay the view out, and
        the end's lines are only asked for once it is laid out."""
        from reasonchat.tui.render_queue import next_frame, screen_drawn

        try:
            await screen_drawn(lambda: self.children)
            while widgets and opening == self._opening:
                await next_frame(self.app)
                batch, widgets = widgets[-BATCH_WIDGETS:], widgets[:-BATCH_WIDGETS]
                first = next((w for w in self.children if not isinstance(w, EmptyHint)), None)
                await self.mount_all(batch, before=first)
        finally:
            if opening == self._opening:
                self.mounting_earlier = False

    async def mounted(self) -> None:
        """Until every turn of the conversation shown is mounted (the earlier ones come a batch per frame)."""
        for worker in [w for w in self.workers if w.group == "opening" and not w.is_finished]:
            with contextlib.suppress(Exception):  # cancelled by a newer opening: nothing more to wait for
                await worker.wait()

    def widgets_of(self, message_ids: tuple[int | None, ...]) -> list[Widget]:
        wanted = {i for i in message_ids if i is not None}
        return [w for w in self.children if getattr(w, "message_id", None) in wanted]

    def remove_messages(self, message_ids: tuple[int, ...]) -> None:
        from reasonchat.tui.widgets.version_mark import VersionMark

        for widget in self.widgets_of(message_ids):
            widget.remove()
        for mark in self.query(VersionMark):
            if mark.for_message in message_ids:
                mark.remove()

    def refresh_versions(self, versions: dict[int, tuple[int, int]]) -> None:
        """The "◀ 2/3 ▶" lines as the store has them now (a regenerate or an edit made a new version)."""
        from reasonchat.tui.widgets.version_mark import VersionMark

        marks = {mark.for_message: mark for mark in self.query(VersionMark)}
        for marked, mark in marks.items():
            if marked not in versions:
                mark.remove()
        for widget in list(self.children):
            shown = getattr(widget, "message_id", None)
            if not isinstance(shown, int) or shown not in versions:
                continue
            if shown in marks:
                marks[shown].show(*versions[shown])
            else:
                self.mount(VersionMark(shown, *versions[shown]), before=widget)
