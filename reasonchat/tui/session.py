"""What the TUI is talking to and what it has open — the one owner of that state, with no widgets.

Every flow that changes what is open goes through here: new, open, delete, edit, send, regenerate, switch
provider, quit. Each one updates the conversation id, the edit in progress and the store together, so the
screen (which only renders and sends intents) cannot be left pointing at a row that is gone. Switching
preset or model applies to the next message of the same conversation, and is remembered (with the
thinking switch) in the state file, unless the provider came from command-line overrides.

API keys may come from a command (`api_key_cmd`, a password manager) that takes seconds: `resolve_provider`
is for worker threads, and a result never lands on a provider the user has switched away from meanwhile.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reasonchat import providers
from reasonchat.config import Config, Preset
from reasonchat.core.conversation import Message, normalize_newlines
from reasonchat.core.provider import Provider
from reasonchat.errors import ReasonChatError, StoreError, UsageError
from reasonchat.paths import exports_dir
from reasonchat.providers import ProviderOptions
from reasonchat.state import State, load_state, save_state

if TYPE_CHECKING:
    from reasonchat.config import Role
    from reasonchat.core.attachments import Attachment
    from reasonchat.core.effort import ReasoningPlan
    from reasonchat.core.reply import Reply
    from reasonchat.store.transcripts import ConversationSummary, StoredMessage, TranscriptStore
    from reasonchat.store.writer import ReplyWriter

REASONING_CYCLE = ("auto", "expanded", "collapsed", "hidden")
CURRENT = "@current"  # the picker's row for the provider in use, command-line overrides included


@dataclass(frozen=True)
class Exchange:
    """The last question of the open conversation and the answer after it, as the store has them."""

    user_id: int
    text: str
    answer_id: int | None
    parent_id: int | None = None  # what the question followed: its new version follows it too


@dataclass(frozen=True)
class Sending:
    """What a send or a regenerate hands to the screen to start an answer."""

    history: list[Message]
    prompt: str
    user_id: int
    replaced: tuple[int, ...] = ()  # messages of an edited exchange that this one replaced
    new_conversation: bool = False
    regenerating: bool = False  # the same question again (ctrl+r): a retry's larger room applies
    attachments: tuple[Attachment, ...] = ()  # the files sent with the question


@dataclass
class ChatSession:
    config: Config
    options: ProviderOptions
    store_path: Path | None = None
    thinking: bool = True
    effort: str | None = None  # the effort key's level; None: the preset's own (core/effort.py)
    reasoning_mode: str = "auto"
    conversation_id: int | None = None
    remember: bool = True
    editing: Exchange | None = None  # the exchange the prompt is editing; replaced only when sent
    served_model: str = ""  # the model the provider actually served, once known (vLLM's first, an alias's target)
    unsaved: list[ReplyWriter] = field(default_factory=list)  # answers the store refused; retried before sending
    unsaved_reason: str | None = None  # why this session lives in memory (the store file could not be opened)
    pending_settings: dict[str, Any] = field(default_factory=dict)  # for a conversation not yet created
    retry_max_tokens: int | None = None  # after a budget ran out: the next regenerate asks for this much room
    tooling: Any = None  # tui/tooling.py's Tooling, shared by the app's sessions (None: no tools)
    context: tuple[int, int] | None = None  # (tokens the last request took, the window), where both are known
    _provider: Provider | None = field(default=None, repr=False)
    _store: TranscriptStore | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # -- the store ----------------------------------------------------------------------------------------

    @property
    def store(self) -> TranscriptStore:
        """Opened on first use, after the first frame (SQLite is not needed to draw the screen), possibly by
        the preload thread, hence the lock. If the file cannot be opened (read-only or full data dir, a store
        from a newer reasonchat) the session goes on in an in-memory store, and `unsaved_reason` says why:
        the user can still chat, and is told nothing of it is kept."""
        with self._lock:
            if self._store is None:
                from reasonchat.store.transcripts import TranscriptStore

                try:
                    self._store = TranscriptStore(self.store_path)
                except StoreError as exc:
                    self.unsaved_reason = str(exc)
                    self._store = TranscriptStore(memory=True)
            return self._store

    @property
    def saving(self) -> bool:
        return self.unsaved_reason is None and not self.unsaved

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    # -- what is open -------------------------------------------------------------------------------------

    def summary(self) -> ConversationSummary | None:
        """The open conversation as the store has it now (title, cost, own settings), None if none is."""
        if self.conversation_id is None:
            return None
        with contextlib.suppress(UsageError, StoreError):
            return self.store.require(self.conversation_id)
        return None

    def header(self) -> tuple[str, str, str]:
        """(title, cost so far, what the next request says about thinking — and the role) for the header:
        one read of the store."""
        summary = self.summary()
        settings = summary.own_settings() if summary is not None else dict(self.pending_settings)
        role = self.role(settings)
        reasoning = self.plan(settings).label() + (f" · role {role.name}" if role is not None else "")
        cost = ""
        if summary is not None and summary.cost is not None and summary.currency:
            from reasonchat.core.cost import format_amount

            cost = format_amount(summary.cost, summary.currency)
        return (summary.title if summary is not None else ""), cost, reasoning

    def new(self) -> None:
        self.conversation_id = None
        self.editing = None
        self.pending_settings = {}
        self.retry_max_tokens = None
        self.context = None

    def open(self, conversation_id: int, at: int | None = None) -> list[StoredMessage]:
        """Open a stored conversation (on the branch through message `at`, a search hit, when given);
        UsageError if it is gone."""
        self.store.require(conversation_id)
        if at is not None and at not in self.store.shown(conversation_id):
            self.store.show(conversation_id, at)
        messages = self.store.messages(conversation_id)
        self.conversation_id = conversation_id
        self.editing = None
        self.pending_settings = {}
        self.retry_max_tokens = None
        self.context = self._context_of(messages)
        return messages

    def _context_of(self, messages: list[StoredMessage]) -> tuple[int, int] | None:
        """Where a reopened conversation stands against the window: its last answer's tokens (prompt and
        completion, as the provider counted them) and the window the preset knows for its model, so the
        warning before a message that would not fit holds after a restart too. None when either is unknown
        (an answer with tool rounds stores their sum, not its last request's)."""
        answers = [m for m in messages if m.role == "assistant"]
        last = answers[-1] if answers else None
        if last is None or last.prompt_tokens is None or last.rounds_json:
            return None
        try:
            preset = self.preset()
        except ReasonChatError:
            return None
        from reasonchat.core.context import window_of

        model = self.options.model or preset.model or last.model or ""  # (the model that answers next)
        window = window_of(model, preset.context_window, preset.context_windows)
        return (last.prompt_tokens + (last.completion_tokens or 0), window) if window else None

    def summarize(self) -> Sending:
        """A new conversation that goes on from this one: its first exchange asks the model for a summary of
        this one (the request carries this one's messages; the store keeps the question and the summary), and
        it is linked to this one (`summary_of` in its settings) and named after it."""
        from reasonchat.core.context import SUMMARY_PROMPT

        assert self.conversation_id is not None
        old, history = self.conversation_id, self._history(before=2**62)
        summary = self.summary()
        settings = {**self.settings(), "summary_of": old}
        self.new()
        self.pending_settings = settings
        sending = self.send(SUMMARY_PROMPT)
        assert self.conversation_id is not None
        with contextlib.suppress(UsageError, StoreError):
            self.store.rename(self.conversation_id, f"{summary.title if summary else old} (continued)")
        return replace(sending, history=history)

    def forget(self, conversation_id: int) -> bool:
        """A conversation was deleted from the store: drop what was kept of it; True when it was the open one,
        which is then closed. (The delete itself runs on a worker thread: it re-indexes every message's
        text, 0.1–1 s on a store of 100k messages.)"""
        self.unsaved = [w for w in self.unsaved if w.conversation_id != conversation_id]
        if conversation_id != self.conversation_id:
            return False
        self.new()
        return True

    def begin_edit(self) -> Exchange | None:
        """Mark the last exchange as being edited (nothing changes until the edit is sent)."""
        if self.conversation_id is None:
            return None
        user, answer = self.store.last_exchange(self.conversation_id)
        if user is None:
            return None
        self.editing = Exchange(user.id, user.content, answer.id if answer is not None else None, user.parent_id)
        return self.editing

    def cancel_edit(self) -> None:
        self.editing = None

    def send(self, prompt: str, attachments: tuple[Attachment, ...] = ()) -> Sending:
        """Save the user's message and return the request's history. An edit is a new version of the question
        it edits (written after the same message; the earlier version and its answer stay, one branch over).
        StoreError, with nothing changed, when the store refuses."""
        prompt = normalize_newlines(prompt)
        self.retry_unsaved()
        store = self.store
        new_conversation = self.conversation_id is None or not store.exists(self.conversation_id)
        if new_conversation:
            self.editing = None  # (an open conversation deleted by another reasonchat: start afresh)
            preset = self.preset()
            self.conversation_id = store.create_conversation(preset.name, preset.model or self.served_model, prompt,
                                                             self.pending_settings)
            self.pending_settings = {}
        assert self.conversation_id is not None
        replaced: tuple[int, ...] = ()
        if self.editing is not None:
            replaced = tuple(i for i in (self.editing.user_id, self.editing.answer_id) if i is not None)
            user_id = store.add_message(self.conversation_id, "user", prompt, after=self.editing.parent_id,
                                        attachments=attachments)
        else:
            user_id = store.add_message(self.conversation_id, "user", prompt, attachments=attachments)
        self.editing = None
        return Sending(self._history(before=user_id), prompt, user_id, replaced, new_conversation,
                       attachments=attachments)

    def attachments_for(self, prompt: str, provider: Provider) -> tuple[Attachment, ...]:
        """The files the prompt's `@path` words attach, read and checked — UsageError (one line, nothing
        sent) for one that cannot go, or for an image (this one or an earlier one of the conversation) when
        the model takes none."""
        from reasonchat.core.attachments import mentions, read, refused_image

        limit = int(self.config.ui.attach_limit_mb * 1024 * 1024)
        attached = tuple(read(name, limit) for name in mentions(prompt))
        images = [a.name for a in attached if a.kind == "image"]
        if self.conversation_id is not None and not images:  # (an earlier image is sent again: one small query)
            images = self.store.image_names(self.conversation_id)
        model = provider.model or self.served_model
        refused = refused_image(images, provider.takes_images(model), provider.name, model)
        if refused:
            raise UsageError(refused)
        return attached

    def regenerate(self) -> Sending:
        """Ask the last question again: the new answer is another version of the one shown (which stays, one
        branch over). UsageError when there is nothing to regenerate."""
        if self.conversation_id is None:
            raise UsageError("No answer to regenerate yet")
        self.retry_unsaved()
        user, answer = self.store.last_exchange(self.conversation_id)
        if user is None:
            raise UsageError("No answer to regenerate yet")
        self.store.set_head(self.conversation_id, user.id)  # the answer to come follows the question
        self.editing = None
        return Sending(self._history(before=user.id), user.content, user.id,
                       (answer.id,) if answer is not None else (), regenerating=True, attachments=user.attachments)

    def versions(self) -> dict[int, tuple[int, int]]:
        """Messages of the branch shown that have other versions: id -> (its number, how many)."""
        if self.conversation_id is None:
            return {}
        return self.store.versions(self.conversation_id)

    def switch_version(self, step: int, at: int | None = None) -> tuple[list[StoredMessage], int] | None:
        """Show the next or previous version of message `at` (by default the last that has others); the branch
        shown and the version now shown in its place, or None when it has no other versions."""
        if self.conversation_id is None:
            return None
        target = self.store.switch(self.conversation_id, step, at)
        if target is None:
            return None
        self.editing = None
        return self.store.messages(self.conversation_id), target

    def _history(self, before: int) -> list[Message]:
        assert self.conversation_id is not None
        return [Message(m.role, m.content, m.reasoning, m.status, m.rounds, m.attachments)
                for m in self.store.messages(self.conversation_id) if m.id < before]

    # -- answers being written ------------------------------------------------------------------------------

    def writer(self, reply: Reply) -> ReplyWriter:
        from reasonchat.store.writer import ReplyWriter

        assert self.conversation_id is not None
        return ReplyWriter(self.store, self.conversation_id, reply)

    def finish(self, writer: ReplyWriter) -> str | None:
        """The final save of an answer; if the store refuses, keep it for a retry and return why."""
        try:
            writer.flush()
        except StoreError as exc:
            if self.store.exists(writer.conversation_id):
                self.unsaved.append(writer)
                return str(exc)
        return None

    def retry_unsaved(self) -> None:
        """Write the answers the store refused (StoreError if it still does): nothing is sent after an answer
        that is not on disk, so a saved conversation never has a hole. Answers of a conversation deleted
        since have nowhere to go and are dropped."""
        while self.unsaved:
            writer = self.unsaved[0]
            if not self.store.exists(writer.conversation_id):
                self.unsaved.pop(0)
                continue
            writer.flush()
            self.unsaved.pop(0)

    def export_markdown(self) -> Path:
        """Write the open conversation as Markdown into `[ui] export_dir`; UsageError if there is none."""
        from reasonchat.export import write_markdown

        if self.conversation_id is None or not self.store.exists(self.conversation_id):
            raise UsageError("Nothing to export yet")
        folder = self.config.ui.export_dir
        return write_markdown(self.store, self.conversation_id, Path(folder).expanduser() if folder else exports_dir())

    # -- the provider ---------------------------------------------------------------------------------------

    def preset(self) -> Preset:
        return providers.choose_preset(self.config, self.options)

    @property
    def overridden(self) -> bool:
        """The provider comes from command-line overrides (--base-url, --api-key-env), not a preset as is."""
        return bool(self.options.base_url or self.options.api_key_env)

    def describe(self) -> tuple[str, str]:
        """(provider label, model) for the header and the store, without resolving keys. The label is the
        preset's name, with the server's address when --base-url replaced the preset's."""
        try:
            preset = self.preset()
        except ReasonChatError:
            return self.options.preset or "?", self.options.model or ""
        name = preset.name
        if self.options.base_url:
            name += f" @ {urlsplit(preset.base_url).netloc or preset.base_url}"
        if preset.model and self.served_model:
            return name, f"{preset.model} → {self.served_model}"
        return name, preset.model or self.served_model

    def provider_if_ready(self) -> Provider | None:
        """The resolved provider for the current choice, if its key has been looked up already."""
        with self._lock:
            return self._provider

    def resolve_provider(self) -> Provider:
        """Look up the key (may run `api_key_cmd`: call this on a worker thread) and build the provider.
        ReasonChatError says what is missing. The result is kept only if the choice is still the same."""
        options = self.options
        provider = providers.resolve(self.config, options)
        with self._lock:
            if self.options == options:
                self._provider = provider
        return provider

    def served(self, model: str) -> None:
        """The provider said which model answered: the header shows it from now on, when the preset names
        none (vLLM's first served model) or named an alias that answered as another (deepseek-reasoner)."""
        with contextlib.suppress(ReasonChatError):
            if model and model != self.preset().model:
                self.served_model = model

    def choose(self, preset: str, model: str | None) -> None:
        """Switch provider (`CURRENT`: stay on the one in use, overrides included) and model."""
        if preset == CURRENT:
            options = replace(self.options, model=model or None)
        else:
            options = ProviderOptions(preset=preset, model=model or None)
        with self._lock:
            if options != self.options:
                self.options = options
                self._provider = None
                self.served_model = ""
        self.save()

    def set_model(self, model: str) -> None:
        self.choose(CURRENT, model)

    def set_thinking(self, thinking: bool) -> None:
        self.thinking = thinking
        self.save()

    def toggle_thinking(self) -> None:
        self.set_thinking(not self.thinking)

    # -- how the model thinks, and the open conversation's own settings ------------------------------------

    def plan(self, settings: dict[str, Any] | None = None) -> ReasoningPlan:
        """What the next request sends about reasoning (for the header, and to send); `settings`: the
        conversation's own, when the caller has read them already."""
        from reasonchat.core.effort import plan

        try:
            preset = self.preset()
        except ReasonChatError:  # an unknown preset: the header still has something to say
            return plan(thinking=self.thinking, effort=self.effort, budget=None, think_on={}, think_off={},
                        effort_map=None, budget_key="")
        role = self.role(settings)
        effort = self.effort or (role.effort if role else "") or preset.effort or None
        return plan(thinking=self.thinking, effort=effort, budget=preset.budget, think_on=preset.think_on,
                    think_off=preset.think_off, effort_map=preset.effort_map, budget_key=preset.budget_key)

    def cycle_effort(self) -> str | None:
        """The effort key: the preset's own → low → medium → high → max → the preset's own."""
        from reasonchat.core.effort import CYCLE

        index = CYCLE.index(self.effort) if self.effort in CYCLE else 0
        self.effort = CYCLE[(index + 1) % len(CYCLE)]
        self.save()
        return self.effort

    def settings(self) -> dict[str, Any]:
        """The open conversation's own settings (role, temperature, max_tokens), or those waiting for it."""
        summary = self.summary()
        return summary.own_settings() if summary is not None else dict(self.pending_settings)

    def set_settings(self, **changes: Any) -> None:
        """Change the conversation's own settings (None removes one); kept with it in the store."""
        settings = {**self.settings(), **changes}
        settings = {k: v for k, v in settings.items() if v is not None and v != ""}
        if self.conversation_id is None:
            self.pending_settings = settings
        else:
            self.store.set_settings(self.conversation_id, settings)

    def tools_on(self) -> bool:
        """Whether this conversation offers tools (on unless switched off for it: F4, or the picker)."""
        return self.settings().get("tools") is not False

    def toggle_tools(self) -> bool:
        self.set_settings(tools=None if not self.tools_on() else False)
        return self.tools_on()

    def role(self, settings: dict[str, Any] | None = None) -> Role | None:
        name = (self.settings() if settings is None else settings).get("role")
        return self.config.roles.get(name) if isinstance(name, str) else None

    def request_overrides(self, regenerating: bool = False) -> dict[str, Any]:
        """What the next request overrides of the preset (effort, temperature, max_tokens) for the client, and
        for the caller to take out: "system", the role's prompt, and "sent", what the request says about
        thinking. A regenerate right after the reasoning used all the room asks for the larger room the note
        offered."""
        settings = self.settings()
        role = self.role(settings)
        temperature = settings.get("temperature")
        if temperature is None and role is not None:
            temperature = role.temperature
        plan = self.plan(settings)
        return {"effort": plan.effort, "temperature": temperature, "sent": plan.label(),
                "max_tokens": (self.retry_max_tokens if regenerating else None) or settings.get("max_tokens"),
                "system": role.system if role is not None else None}

    def remember_theme(self, theme: str) -> None:
        """The theme chosen in the palette, for the next start (a `[ui] theme` in the config wins over it)."""
        if not self.remember:
            return
        with contextlib.suppress(OSError):
            save_state(replace(load_state(), theme=theme))

    def cycle_reasoning(self) -> str:
        index = REASONING_CYCLE.index(self.reasoning_mode) if self.reasoning_mode in REASONING_CYCLE else 0
        self.reasoning_mode = REASONING_CYCLE[(index + 1) % len(REASONING_CYCLE)]
        return self.reasoning_mode

    def save(self) -> None:
        """Remember the choice for the next start. A provider made of command-line overrides is not a
        preset that can be remembered by name: then only the thinking switch is."""
        if not self.remember:
            return
        with contextlib.suppress(OSError, ReasonChatError):  # a convenience: never fail a switch over it
            if self.overridden:
                state = replace(load_state(), thinking=self.thinking, effort=self.effort or "")
            else:
                state = State(preset=self.preset().name, model=self.options.model or "", thinking=self.thinking,
                              effort=self.effort or "", theme=load_state().theme)
            save_state(state)
