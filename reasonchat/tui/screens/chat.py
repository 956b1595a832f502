"""The chat screen: conversation, prompt, header, status line and key bar. It renders, and turns keys into
intents; what is open, and every store write, belongs to the session (`ChatSession`).

One async worker per answer (`@work(exclusive=True, group="generation")`) streams over `AsyncOpenAI`: it
folds events into a `Reply` and the store, and a 15 Hz timer copies what changed onto the screen, so the UI
never redraws per token. Key lookups that may run a command (`api_key_cmd`) happen on a worker thread
first. `openai` is imported inside the worker, after the first paint, and what an answer needs (its
widgets, `Reply`, the request builder) inside the methods that use it, so the first frame waits for none.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from reasonchat.errors import ReasonChatError, StoreError, UsageError
from reasonchat.text.sanitize import clean_line
from reasonchat.tui.notice import in_the_tui, tell
from reasonchat.tui.session import ChatSession, Sending
from reasonchat.tui.widgets.conversation_view import ConversationView
from reasonchat.tui.widgets.empty_hint import EmptyHint
from reasonchat.tui.widgets.header_line import HeaderLine
from reasonchat.tui.widgets.prompt import PromptInput
from reasonchat.tui.widgets.status_bar import READY, StatusBar

if TYPE_CHECKING:
    from reasonchat.core.attachments import Attachment
    from reasonchat.core.provider import Provider
    from reasonchat.core.reply import Reply
    from reasonchat.store.transcripts import StoredMessage
    from reasonchat.tui.widgets.stored_turn import StoredTurn
    from reasonchat.tui.widgets.turn import AssistantTurn
    from reasonchat.tui.widgets.version_mark import VersionMark

TICK = 1 / 15  # how often a live answer is copied to the screen: smooth to read; 20 Hz cost ~0.03 CPU more
STOPPED = "Stopped the answer — what arrived is saved"


class ChatScreen(Screen[None]):
    class KeyMissing(Message):
        """The provider in use has no key (or its `api_key_cmd` failed): the app opens the picker with why."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    # The key bar lists these in this order; at 80 columns the first ones are what fits.
    BINDINGS = [
        Binding("escape", "stop", "Stop", priority=True, id="stop"),
        Binding("escape", "cancel_edit", "Cancel edit", priority=True, id="cancel_edit"),
        Binding("ctrl+k", "app.picker", "Model", priority=True, id="picker"),
        Binding("ctrl+o", "app.history", "History", priority=True, id="history"),
        Binding("ctrl+n", "new", "New", priority=True, id="new"),
        Binding("ctrl+r", "regenerate", "Regenerate", priority=True, id="regenerate"),
        Binding("ctrl+t", "cycle_reasoning", "Reasoning", priority=True, show=False, id="reasoning_display"),
        Binding("ctrl+g", "app.cycle_effort", "Effort", priority=True, show=False, id="effort"),
        Binding("ctrl+f", "answer_now", "Answer now", priority=True, show=False, id="answer_now"),
        Binding("ctrl+e", "export", "Export", priority=True, show=False, id="export"),
        Binding("ctrl+y", "app.copy_answer", "Copy answer", priority=True, show=False, id="copy_answer"),
        Binding("pageup", "scroll_page(-1)", "Scroll up", priority=True, show=False, id="page_up"),
        Binding("pagedown", "scroll_page(1)", "Scroll down", priority=True, show=False, id="page_down"),
        Binding("ctrl+home", "scroll_edge(0)", "Top", priority=True, show=False, id="top"),
        Binding("ctrl+end", "scroll_edge(1)", "Bottom", priority=True, show=False, id="bottom"),
        Binding("alt+left", "switch_version(-1)", "Older version", priority=True, show=False, id="older_version"),
        Binding("alt+right", "switch_version(1)", "Newer version", priority=True, show=False, id="newer_version"),
        Binding("alt+e", "edit_in_editor", "Editor", priority=True, show=False, id="editor"),
    ]

    def __init__(self, session: ChatSession) -> None:
        super().__init__()
        self.session = session
        self.generating = False
        self.resolving = False  # a key is being looked up before a send
        self._live: AssistantTurn | None = None
        self._answer_now = asyncio.Event()  # set by ctrl+f: stop the thinking, ask for the answer at once
        self._after_summary: Provider | None = None  # a summary streams: then the prompt's message is sent

    def compose(self) -> ComposeResult:
        yield HeaderLine()
        yield ConversationView()
        yield PromptInput()
        yield StatusBar()

    def on_mount(self) -> None:
        self.conversation.anchor()
        self.refresh_header()
        self.prompt.focus()
        self.call_after_refresh(self._mount_key_bar)

    def _mount_key_bar(self) -> None:
        """The key bar is a dozen widgets and ~20 ms: it joins a frame after the one the user can type in."""
        from reasonchat.tui.widgets.key_bar import KeyBar

        self.mount(KeyBar())

    # -- parts ----------------------------------------------------------------------------------------------

    @property
    def conversation(self) -> ConversationView:
        return self.query_one(ConversationView)

    @property
    def mounting_earlier(self) -> bool:
        """Earlier turns still being mounted; before the screen is composed or after it is gone (the idle
        collector asks on a timer, tests/tui showed it can ask then) there is no view and nothing mounting."""
        views = self.query(ConversationView)
        return bool(views) and views.first().mounting_earlier

    @property
    def prompt(self) -> PromptInput:
        return self.query_one(PromptInput)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def turns(self) -> list[AssistantTurn | StoredTurn]:
        return self.conversation.turns()

    def refresh_header(self) -> None:
        session = self.session
        preset, model = session.describe()
        title, cost, reasoning = session.header()
        self.query_one(HeaderLine).show(preset, model, reasoning, title, session.saving, cost)
        hint = self.query_one(EmptyHint)
        hint.show(preset, model, reasoning)
        hint.display = session.conversation_id is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape stops an answer while one streams, else leaves an edit; otherwise the key bar hides it."""
        if action == "stop":
            return self.generating
        if action == "cancel_edit":
            return not self.generating and self.session.editing is not None
        if action == "answer_now":  # only while the model is still thinking: otherwise ctrl+f is the prompt's
            live = self._live
            return live is not None and not live.reply.answer_chunks and not live.reply.reasoning_cut \
                and live.reply.first_token_at is not None
        return True

    def _changed(self) -> None:
        self.refresh_bindings()
        self.refresh_header()

    # -- typing anywhere ----------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A printable key typed while something else has focus (a reasoning title, nothing) goes to the prompt."""
        prompt = self.prompt
        if self.focused is not prompt and event.is_printable and event.character:
            event.stop()
            prompt.focus()
            prompt.insert(event.character)

    def action_scroll_page(self, direction: int) -> None:
        if direction < 0:
            self.conversation.scroll_page_up()
        else:
            self.conversation.scroll_page_down()

    def action_scroll_edge(self, end: int) -> None:
        if end:
            self.conversation.scroll_end(animate=False)
            self.conversation.anchor()
        else:
            self.conversation.scroll_home(animate=False)

    # -- sending ------------------------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    def on_prompt_submitted(self, event: PromptInput.Submitted) -> None:
        if self.generating:
            tell(self, "Still answering — press Escape to stop it first", severity="warning")
            return
        self.with_provider(lambda provider: self._send(event.text, provider))

    def with_provider(self, then: Callable[[Provider], Awaitable[None] | None]) -> None:
        """Run `then` with the provider in use, looking its key up first (on a thread) if need be."""
        if self.resolving:
            tell(self, "Still checking the key — a moment", severity="warning", timeout=3)
            return
        provider = self.session.provider_if_ready()
        if provider is not None:
            self._call(then, provider)
            return
        self.resolving = True
        self.status.say(f"Checking the key for {self.session.describe()[0]}…")
        self._resolve(then)

    @work(thread=True, exclusive=True, group="resolve")
    def _resolve(self, then: Callable[[Provider], Awaitable[None] | None]) -> None:
        options = self.session.options
        try:
            provider = self.session.resolve_provider()
        except ReasonChatError as exc:
            self.app.call_from_thread(self._resolved, None, in_the_tui(exc), then, options)
        else:
            self.app.call_from_thread(self._resolved, provider, "", then, options)

    def _resolved(self, provider: Provider | None, error: str, then: Callable[[Provider], Awaitable[None] | None],
                  options: object) -> None:
        self.resolving = False
        self.status.say(READY)
        if self.session.options != options:  # switched while the key was looked up: the result is stale
            tell(self, "The provider changed while its key was looked up — nothing was sent", severity="warning")
            return
        if provider is None:
            tell(self, error, severity="error", timeout=8)
            self.post_message(self.KeyMissing(error))  # the app opens the picker; the message stays in the prompt
            return
        self._call(then, provider)

    def _call(self, then: Callable[[Provider], Awaitable[None] | None], provider: Provider) -> None:
        result = then(provider)
        if result is not None:
            self.run_worker(result, group="intent")

    def _send(self, text: str, provider: Provider, checked: bool = False) -> None:
        from reasonchat.tui.widgets.user_message import UserMessage

        try:
            attached = self.session.attachments_for(text, provider)
        except UsageError as exc:  # a file that cannot go: said, and the message stays in the prompt
            self.status.say(str(exc))
            tell(self, f"{exc}. Your message is still in the prompt.", title="Not sent", severity="error",
                 timeout=12)
            return
        if not checked and self._too_big(text, attached, provider):
            return
        try:
            sending = self.session.send(text, attached)
        except StoreError as exc:  # a full disk: nothing is sent, and the message stays in the prompt
            tell(self, f"{exc}. Your message is still in the prompt.", title="Not sent", severity="error",
                        timeout=12)
            return
        self.prompt.clear()
        self.prompt.set_editing(False)
        if sending.new_conversation:
            self.conversation.clear()
        self.conversation.remove_messages(sending.replaced)
        self.conversation.mount(UserMessage(sending.prompt, sending.user_id, sending.attachments))
        self.conversation.refresh_versions(self.session.versions())
        self._start(sending, provider)

    def _too_big(self, text: str, attached: tuple[Attachment, ...], provider: Provider) -> bool:
        """Before a message that may not fit the window: say so, and offer a summary or sending anyway."""
        from reasonchat.core.context import overflow
        from reasonchat.tui.screens.context_full import ContextFull

        used, window = self.session.context or (None, None)
        total = overflow(used, window, text, attached)
        if total is None or window is None:
            return False
        self.status.say(f"This message may not fit the window: ~{total:,} of {window:,} tokens")

        def decided(decision: str | None) -> None:
            if decision == "send":
                self._send(text, provider, checked=True)
            elif decision == "summary":
                self._summarize_then(provider)

        self.app.push_screen(ContextFull(total, window), decided)
        return True

    def _summarize_then(self, provider: Provider) -> None:
        """A new conversation from a summary of this one; the message in the prompt is sent once it is written."""
        from reasonchat.tui.widgets.user_message import UserMessage

        try:
            sending = self.session.summarize()
        except StoreError as exc:
            tell(self, f"{exc}. Your message is still in the prompt.", title="Not sent", severity="error")
            return
        self.conversation.clear()
        self.conversation.mount(UserMessage(sending.prompt, sending.user_id))
        self._after_summary = provider
        self._start(sending, provider)

    def _start(self, sending: Sending, provider: Provider) -> None:
        from reasonchat.core.conversation import build_request
        from reasonchat.core.cost import price_for
        from reasonchat.core.reply import Reply
        from reasonchat.tui.widgets.turn import AssistantTurn

        overrides = self.session.request_overrides(sending.regenerating)
        model = provider.model or self.session.served_model or "the server's model"
        reply = Reply(model=model, preset=provider.name, price=price_for(provider.price, model),
                      sent=overrides.pop("sent"))
        turn = AssistantTurn(reply, self.session.reasoning_mode)
        self.conversation.mount(turn)
        self.conversation.anchor()
        self.generating = True
        self._live = turn
        self._changed()
        request = build_request(sending.history, sending.prompt, system=overrides.pop("system"),
                                send_reasoning=provider.send_reasoning, tool_reasoning=provider.tool_reasoning,
                                attachments=sending.attachments)
        self.session.retry_max_tokens = None  # a retry's larger room is for that one answer
        self._answer_now.clear()
        self.generate(turn, request, provider, overrides)

    @work(exclusive=True, group="generation")
    async def generate(self, turn: AssistantTurn, request: list[dict[str, object]], provider: Provider,
                       overrides: dict[str, Any]) -> None:
        from reasonchat.tui.answering import answer

        session, reply = self.session, turn.reply
        writer = session.writer(reply)
        timer = self.set_interval(TICK, self._tick)
        try:
            await answer(session, provider, request, reply, writer, overrides, cut=self._answer_now,
                         on_model=self.refresh_header)
        finally:
            timer.pause()  # not stop(): a tick in flight finishes its update rather than break off midway
            try:
                unsaved = session.finish(writer)
                turn.message_id = writer.message_id
                if self.is_attached:  # the app may be closing under us: the store matters, the screen not
                    await turn.finish()
                    self.conversation.refresh_versions(self.session.versions())
                    self.status.show_reply(reply)
                    self._say_what_happened(reply, provider, overrides)
                    if unsaved:
                        tell(self, f"{unsaved}. It is saved before your next message is sent.",
                                    title="The answer is not saved", severity="error", timeout=12)
            finally:
                timer.stop()
                self.generating = False
                self._live = None
                if reply.window and reply.context_used is not None:
                    session.context = (reply.context_used, reply.window)
                if self.is_attached:
                    self._changed()
                    self._send_after_summary(reply)

    def _send_after_summary(self, reply: Reply) -> None:
        """The summary is written: the message that did not fit goes on in the new conversation."""
        provider, self._after_summary = self._after_summary, None
        if provider is not None and reply.status == "complete" and self.prompt.text.strip():
            self._send(self.prompt.message(), provider, checked=True)

    def _say_what_happened(self, reply: Reply, provider: Provider, overrides: dict[str, Any]) -> None:
        """What the numbers alone do not say: thinking that was switched off came anyway; reasoning used the
        whole length limit (ctrl+r then retries with twice the room)."""
        from reasonchat.core.effort import budget_exhausted

        if self.session.thinking is False and reply.reasoning.strip() and not reply.reasoning_cut:
            note = "Thinking was switched off, but the model reasoned anyway (its server ignores the switch)"
            self.status.say(f"{note} · {self.status.text}")
            tell(self, note, severity="warning", timeout=8)
        limit = overrides.get("max_tokens") or provider.max_tokens
        used = reply.usage.reasoning_tokens if reply.usage is not None else None
        exhausted = budget_exhausted(reply.finish_reason, reply.reasoning, reply.content, used, limit)
        if exhausted:
            room = 2 * limit if limit else 8192
            self.session.retry_max_tokens = room
            note = f"{exhausted} — ctrl+r tries again with max_tokens {room}; ctrl+g lowers the effort"
            self.status.say(note)
            tell(self, note, title="The reasoning took all the room", severity="warning", timeout=12)

    def action_edit_in_editor(self) -> None:
        """alt+e: the prompt in $VISUAL / $EDITOR (tui/editor.py)."""
        from reasonchat.tui.editor import edit_prompt

        edit_prompt(self.app, self.prompt, self.status.say)

    def action_answer_now(self) -> None:
        """ctrl+f while the model thinks: stop the thinking and have it answer from what it has thought."""
        if self.check_action("answer_now", ()):
            self._answer_now.set()
            self.status.say("Answering now from the reasoning so far…")

    async def _tick(self) -> None:
        turn = self._live
        if turn is not None:
            await turn.tick()
            self.status.live(turn.reply)

    # -- stopping -----------------------------------------------------------------------------------------

    def action_stop(self) -> None:
        if self.generating:
            self.workers.cancel_group(self, "generation")

    async def stop_and_wait(self) -> bool:
        """Stop the answer being written and wait until it is saved (as stopped); True if one was."""
        running = [w for w in self.workers if w.group == "generation" and not w.is_finished]
        self.action_stop()
        for worker in running:
            with contextlib.suppress(Exception):  # WorkerCancelled: stopped, and saved as such
                await worker.wait()
        return bool(running)

    async def _stop_to_leave(self) -> None:
        """Before something else is opened: stop the answer, and say so."""
        if await self.stop_and_wait():
            tell(self, STOPPED, timeout=5)

    # -- what is open -------------------------------------------------------------------------------------

    def _reset(self) -> None:
        """Show the session's empty new conversation."""
        self.conversation.clear()
        self.prompt.set_editing(False)
        self.status.say(READY)
        self._changed()
        self.prompt.focus()

    async def action_new(self) -> None:
        await self._stop_to_leave()
        self.session.new()
        self._reset()

    async def open_conversation(self, conversation_id: int, at: int | None = None) -> None:
        """Open a stored conversation; `at`: a message (a search hit) whose branch to show."""
        await self._stop_to_leave()
        try:
            messages = self.session.open(conversation_id, at)
        except UsageError:
            tell(self, "That conversation is not there any more", severity="warning")
            return
        await self._reshow(messages)

    async def _reshow(self, messages: list[StoredMessage]) -> None:
        """Show another conversation (or another branch). The prompt keeps what it holds: a draft outlives
        every change of what is open; an edit in progress ends, its text staying as a draft."""
        self.conversation.clear()
        await self.conversation.show(messages, self.session.versions(), self.session.reasoning_mode)
        self.prompt.set_editing(False)
        self.status.say(READY)
        self._changed()
        self.conversation.scroll_end(animate=False)
        self.conversation.anchor()
        self.prompt.focus()

    async def delete_conversation(self, conversation_id: int) -> bool:
        """Delete a conversation (from the history screen); the open one is closed first. False, having said
        why, when the store refuses."""
        if conversation_id == self.session.conversation_id:
            await self._stop_to_leave()
        try:
            await asyncio.to_thread(self.session.store.delete, conversation_id)
        except UsageError:
            pass  # gone already (another reasonchat, or `history --delete`): forget it all the same
        except StoreError as exc:
            tell(self, str(exc), severity="error")
            return False
        if self.session.forget(conversation_id):
            self._reset()
        return True

    # -- edit, regenerate, export ----------------------------------------------------------------------------

    async def action_switch_version(self, step: int, at: int | None = None) -> None:
        """alt+← / alt+→: the previous or next version of a message — the one whose "◀ n/m ▶" has the focus (or
        was clicked: `at`), else the last one that has others; the conversation goes on from the version
        shown, and the focus stays on that message's mark."""
        if self.generating:
            tell(self, "Still answering — press Escape to stop it first", severity="warning")
            return
        from reasonchat.tui.widgets.version_mark import VersionMark

        focused = self.focused
        if at is None and isinstance(focused, VersionMark):
            at = focused.for_message
        switched = self.session.switch_version(step, at)
        if switched is None:
            tell(self, "No other versions here — ctrl+r or an edit (Up) makes one", timeout=4)
            return
        messages, shown = switched
        await self._reshow(messages)
        if at is not None:
            await self.conversation.mounted()  # an early message's mark comes with the turns mounted later
            marks = [mark for mark in self.conversation.query(VersionMark) if mark.for_message == shown]
            if marks:
                marks[0].focus()
                self.conversation.scroll_to_widget(marks[0], animate=False)

    async def on_version_mark_step(self, message: VersionMark.Step) -> None:
        await self.action_switch_version(message.step, at=message.message_id)

    async def on_prompt_input_edit_last(self, _: PromptInput.EditLast) -> None:
        self.action_edit_last()

    def action_edit_last(self) -> None:
        """Put the last message in the prompt to edit; only sending it replaces that exchange."""
        if self.generating:
            return
        exchange = self.session.begin_edit()
        if exchange is None:
            tell(self, "No message to edit yet", timeout=3)
            return
        for widget in self.conversation.widgets_of((exchange.user_id, exchange.answer_id)):
            widget.add_class("-editing")
        self.prompt.put_back(exchange.text)
        self.prompt.set_editing(True)
        self.refresh_bindings()

    def action_cancel_edit(self) -> None:
        """Escape while editing: the message as it was leaves the prompt; one the user changed stays, as a
        draft (nothing typed is lost to a key)."""
        editing = self.session.editing
        unchanged = editing is not None and self.prompt.message() == editing.text
        self._leave_edit()
        if unchanged:
            self.prompt.clear()

    def on_prompt_input_emptied(self, _: PromptInput.Emptied) -> None:
        self._leave_edit()

    def on_prompt_input_mentioning(self, event: PromptInput.Mentioning) -> None:
        """While an `@path` is typed, the status line names the files it may be (and says when it is one)."""
        from reasonchat.core.attachments import partial_mention

        partial = partial_mention(event.tail)
        if partial is None:
            self.status.end_mention()
        else:
            self.status.hint_mention(partial, lambda typed: partial_mention(self.prompt.text[-300:]) == typed)

    def on_prompt_input_file_dropped(self, event: PromptInput.FileDropped) -> None:
        self.status.say(f"📎 {clean_line(event.path, 120)} will be attached (as @path) — Enter sends, or delete it")

    def _leave_edit(self) -> None:
        self.session.cancel_edit()
        for widget in self.conversation.query(".-editing"):
            widget.remove_class("-editing")
        self.prompt.set_editing(False)
        self.refresh_bindings()

    def action_regenerate(self) -> None:
        if self.generating:
            return
        if self.session.conversation_id is None:
            tell(self, "No answer to regenerate yet", severity="warning")
            return
        self.with_provider(self._regenerate)

    def _regenerate(self, provider: Provider) -> None:
        try:
            sending = self.session.regenerate()
        except UsageError as exc:
            tell(self, str(exc), severity="warning")
            return
        except StoreError as exc:
            tell(self, str(exc), title="Cannot regenerate", severity="error", timeout=12)
            return
        self._leave_edit()
        self.conversation.remove_messages(sending.replaced)
        self._start(sending, provider)

    def action_export(self) -> None:
        try:
            path = self.session.export_markdown()
        except UsageError as exc:
            tell(self, str(exc), severity="warning")
            return
        except OSError as exc:
            tell(self, f"Cannot write {exc.filename or 'the export'}: {exc.strerror or exc}", severity="error")
            return
        tell(self, f"Exported to {path.resolve()}", title="Export", timeout=6)

    # -- what the app shows on top ----------------------------------------------------------------------

    def action_cycle_reasoning(self) -> None:
        mode = self.session.cycle_reasoning()
        for turn in self.turns():
            turn.set_mode(mode)
        self.status.say(f"Reasoning display: {mode} (ctrl+t: auto → expanded → collapsed → hidden)")

    def save_unsaved(self) -> None:
        """A last try for answers the store refused (the app is closing)."""
        self.session.retry_unsaved()
