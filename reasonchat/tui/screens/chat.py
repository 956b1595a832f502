"""The chat screen: conversation, prompt, header and status line, and every action on a conversation.

One async worker per generation (`@work(exclusive=True, group="generation")`) streams over `AsyncOpenAI`;
it folds events into a `Reply` and the store, and a 15 Hz timer copies what changed onto the screen, so
the UI never redraws per token. `openai` is imported inside the worker, after the first paint, and what
an answer needs (its widgets, `Reply`, the request builder: ~12 ms) inside the methods that use it, so the
first frame waits for none of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget

from reasonchat.errors import ReasonChatError, StoreError
from reasonchat.tui.session import ChatSession
from reasonchat.tui.widgets.header_line import HeaderLine
from reasonchat.tui.widgets.prompt import PromptInput
from reasonchat.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from reasonchat.core.conversation import Message
    from reasonchat.store.writer import ReplyWriter
    from reasonchat.tui.widgets.turn import AssistantTurn

TICK = 1 / 15  # how often a live answer is copied to the screen: smooth to read; 20 Hz cost ~0.03 CPU more


class ChatScreen(Screen[None]):
    DEFAULT_CSS = """
    ChatScreen #conversation { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    ChatScreen #welcome { color: $text-muted; padding: 1 2; }
    """
    BINDINGS = [
        Binding("escape", "stop", "Stop", priority=True),
        Binding("ctrl+t", "cycle_reasoning", "Reasoning", priority=True),
        Binding("ctrl+n", "new", "New", priority=True),
        Binding("ctrl+o", "history", "History", priority=True),
        Binding("ctrl+k", "picker", "Preset/model", priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("ctrl+r", "regenerate", "Regenerate", priority=True),
    ]

    def __init__(self, session: ChatSession) -> None:
        super().__init__()
        self.session = session
        self.generating = False
        self._editing: tuple[int | None, int | None] | None = None  # (user, assistant) being replaced
        self._unsaved: list[tuple[AssistantTurn, ReplyWriter]] = []  # answers the store refused; retried

    def compose(self) -> ComposeResult:
        yield HeaderLine()
        yield VerticalScroll(id="conversation")
        yield PromptInput()
        yield StatusBar("Ready — type a message and press Enter")

    def on_mount(self) -> None:
        self.conversation.anchor()
        self.refresh_header()
        self.query_one(PromptInput).focus()
        self.call_after_refresh(self._mount_key_bar)

    def _mount_key_bar(self) -> None:
        """The key bar is a dozen widgets and ~20 ms: it joins a frame after the one the user can type in."""
        from textual.widgets import Footer

        self.mount(Footer())

    @property
    def conversation(self) -> VerticalScroll:
        return self.query_one("#conversation", VerticalScroll)

    def refresh_header(self) -> None:
        preset, model = self.session.describe()
        title = ""
        if self.session.conversation_id is not None:
            try:
                title = self.session.store.require(self.session.conversation_id).title
            except ReasonChatError:
                title = ""
        saving = self.session.unsaved_reason is None and not self._unsaved
        self.query_one(HeaderLine).show(preset, model, self.session.thinking, title, saving)

    # -- sending ------------------------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    def on_prompt_submitted(self, event: PromptInput.Submitted) -> None:
        if self.generating:
            self.notify("Still answering — press Escape to stop it first", severity="warning")
            return
        try:
            provider = self.session.provider()
        except ReasonChatError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            self.app.action_picker(reason=str(exc))  # type: ignore[attr-defined]
            return
        prompt = event.text
        try:
            self.save_unsaved()
            store = self.session.store
            if self._editing is not None:
                self._drop_messages(*self._editing)
                self._editing = None
            history = self._history()
            if self.session.conversation_id is None:
                self.session.conversation_id = store.create_conversation(provider.name, provider.model, prompt)
            user_id = store.add_message(self.session.conversation_id, "user", prompt)
        except StoreError as exc:  # a full disk: nothing is sent, and the message stays in the prompt
            self.notify(f"{exc}. Your message is still in the prompt.", title="Not sent", severity="error",
                        timeout=12)
            return
        from reasonchat.tui.widgets.user_message import UserMessage

        self.query_one(PromptInput).clear()
        self.conversation.mount(UserMessage(prompt, user_id))
        self.refresh_header()
        self._start(history, prompt)

    def save_unsaved(self) -> None:
        """Retry the answers the store refused (StoreError if it still does): nothing is sent after an
        answer that is not on disk, so a conversation in the store never has a hole in it."""
        while self._unsaved:
            turn, writer = self._unsaved[0]
            turn.message_id = writer.flush()
            self._unsaved.pop(0)
            if self.is_attached:  # also called as the app closes
                self.refresh_header()

    def _history(self) -> list[Message]:
        from reasonchat.core.conversation import Message

        if self.session.conversation_id is None:
            return []
        return [Message(m.role, m.content, m.reasoning, m.status)
                for m in self.session.store.messages(self.session.conversation_id)]

    def _start(self, history: list[Message], prompt: str) -> None:
        from reasonchat.core.conversation import build_request
        from reasonchat.core.reply import Reply
        from reasonchat.tui.widgets.turn import AssistantTurn

        provider = self.session.provider()
        reply = Reply(model=provider.model or "the server's model", preset=provider.name)
        turn = AssistantTurn(reply, self.session.reasoning_mode)
        self.conversation.mount(turn)
        self.conversation.anchor()
        self.generating = True
        self.generate(turn, build_request(history, prompt, send_reasoning=provider.send_reasoning))

    @work(exclusive=True, group="generation")
    async def generate(self, turn: AssistantTurn, request: list[dict[str, object]]) -> None:
        from reasonchat.core.client import ChatClient  # the SDK loads here, never before the first paint
        from reasonchat.core.events import StreamFailed
        from reasonchat.store.writer import ReplyWriter, run_flusher

        session, reply = self.session, turn.reply
        assert session.conversation_id is not None
        writer = ReplyWriter(session.store, session.conversation_id, reply)
        flusher = asyncio.create_task(run_flusher(writer))
        timer = self.set_interval(TICK, turn.tick)
        cancelled = False
        try:
            provider = session.provider()
            async with ChatClient(provider) as client:
                try:
                    model = provider.model or await client.resolve_model()
                except ReasonChatError as exc:
                    reply.apply(StreamFailed(str(exc)))
                else:
                    reply.model = model
                    async for event in client.stream(request, model=model, thinking=session.thinking):
                        reply.apply(event)
                        writer.maybe_flush()
        except asyncio.CancelledError:
            cancelled = True
            reply.stop()
        except ReasonChatError as exc:
            reply.apply(StreamFailed(str(exc)))
        finally:
            flusher.cancel()
            timer.pause()  # not stop(): a tick in flight finishes its update rather than break off midway
            try:
                self._final_save(turn, writer)
                if self.is_attached:  # the app may be closing under us: the store matters, the screen not
                    await turn.finish()
                    self.query_one(StatusBar).show_reply(reply)
            finally:
                timer.stop()
                self.generating = False
            if reply.error:
                self.notify(reply.error, title="The answer failed", severity="error", timeout=8)
        if cancelled:
            raise asyncio.CancelledError

    def _final_save(self, turn: AssistantTurn, writer: ReplyWriter) -> None:
        try:
            turn.message_id = writer.flush()
        except StoreError as exc:  # the answer stays on screen and is retried before the next message
            turn.message_id = writer.message_id
            self._unsaved.append((turn, writer))
            self.refresh_header()
            self.notify(f"{exc}. It is saved when you send your next message.", title="The answer is not saved",
                        severity="error", timeout=12)

    # -- actions (keys and the command palette) -------------------------------------------------------------

    def action_stop(self) -> None:
        if self.generating:
            self.workers.cancel_group(self, "generation")

    async def stop_and_wait(self) -> None:
        """Stop the answer being written and wait until it is saved (as stopped)."""
        running = [w for w in self.workers if w.group == "generation" and not w.is_finished]
        self.action_stop()
        for worker in running:
            with contextlib.suppress(Exception):  # WorkerCancelled: stopped, and saved as such
                await worker.wait()

    def action_cycle_reasoning(self) -> None:
        from reasonchat.tui.widgets.turn import AssistantTurn

        mode = self.session.cycle_reasoning()
        for turn in self.query(AssistantTurn):
            turn.set_mode(mode)
        self.notify(f"Reasoning: {mode}", timeout=2)

    async def action_new(self) -> None:
        self.action_stop()
        self.session.conversation_id = None
        self._editing = None
        await self.conversation.remove_children()
        self.refresh_header()
        self.query_one(PromptInput).focus()

    def action_history(self) -> None:
        self.app.action_history()  # type: ignore[attr-defined]

    def action_picker(self) -> None:
        self.app.action_picker()  # type: ignore[attr-defined]

    def action_export(self) -> None:
        from reasonchat import export as exporting
        from reasonchat.atomic import write_atomically

        conversation_id = self.session.conversation_id
        if conversation_id is None:
            self.notify("Nothing to export yet", severity="warning")
            return
        store = self.session.store
        summary = store.require(conversation_id)
        slug = re.sub(r"[^\w-]+", "-", summary.title.lower(), flags=re.UNICODE).strip("-")[:40] or "conversation"
        path = Path(self.session.config.ui.export_dir).expanduser() / f"reasonchat-{conversation_id}-{slug}.md"
        try:
            write_atomically(path, exporting.to_markdown(summary, store.messages(conversation_id)))
        except OSError as exc:
            self.notify(f"Cannot write {path}: {exc.strerror or exc}", severity="error")
            return
        self.notify(f"Exported to {path.resolve()}", title="Export", timeout=6)

    async def action_regenerate(self) -> None:
        from reasonchat.tui.widgets.turn import AssistantTurn
        from reasonchat.tui.widgets.user_message import UserMessage

        if self.generating:
            return
        turns = list(self.query(AssistantTurn))
        users = list(self.query(UserMessage))
        if not turns or not users:
            self.notify("No answer to regenerate yet", severity="warning")
            return
        last_turn, last_user = turns[-1], users[-1]
        try:
            self.session.provider()
        except ReasonChatError as exc:
            self.notify(str(exc), severity="error")
            return
        try:
            self.save_unsaved()
            self._drop_messages(None, last_turn.message_id)
        except StoreError as exc:
            self.notify(str(exc), title="Cannot regenerate", severity="error", timeout=12)
            return
        await last_turn.remove()
        history = self._history()
        while history and history[-1].role != "user":
            history.pop()
        self._start(history[:-1], last_user.text)

    async def on_prompt_input_edit_last(self, _: PromptInput.EditLast) -> None:
        await self.action_edit_last()

    async def action_edit_last(self) -> None:
        """Put the last message back in the prompt; sending it replaces that exchange."""
        from reasonchat.tui.widgets.turn import AssistantTurn
        from reasonchat.tui.widgets.user_message import UserMessage

        if self.generating:
            return
        users = list(self.query(UserMessage))
        if not users:
            return
        last_user = users[-1]
        after = list(self.conversation.children)
        turns = [w for w in after[after.index(last_user) + 1 :] if isinstance(w, AssistantTurn)]
        self.query_one(PromptInput).put_back(last_user.text)
        self._editing = (last_user.message_id, turns[-1].message_id if turns else None)
        for widget in [last_user, *turns]:
            await widget.remove()
        self.notify("Editing your last message — Enter resends it", timeout=3)

    def _drop_messages(self, *message_ids: int | None) -> None:
        for message_id in message_ids:
            if message_id is not None:
                self.session.store.delete_message(message_id)

    # -- showing a stored conversation --------------------------------------------------------------------

    async def open_conversation(self, conversation_id: int) -> None:
        from reasonchat.tui.widgets.turn import AssistantTurn
        from reasonchat.tui.widgets.user_message import UserMessage

        self.action_stop()
        store = self.session.store
        await self.conversation.remove_children()
        widgets: list[Widget] = []
        for m in store.messages(conversation_id):
            if m.role == "user":
                widgets.append(UserMessage(m.content, m.id))
            elif m.role == "assistant":
                widgets.append(AssistantTurn(m.to_reply(), self.session.reasoning_mode, m.id))
        await self.conversation.mount_all(widgets)
        for turn in self.query(AssistantTurn):
            await turn.finish()
        self.session.conversation_id = conversation_id
        self.refresh_header()
        self.conversation.scroll_end(animate=False)
        self.conversation.anchor()
        self.query_one(PromptInput).focus()

