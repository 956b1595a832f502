"""What the TUI is talking to right now: preset, model, thinking switch, conversation — no widgets.

Switching preset or model applies to the next message of the same conversation, and is remembered (with
the thinking switch) in the state file so the next start picks up where the user left off.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reasonchat import providers
from reasonchat.config import Config, Preset
from reasonchat.core.provider import Provider
from reasonchat.errors import ReasonChatError
from reasonchat.providers import ProviderOptions
from reasonchat.state import State, save_state

if TYPE_CHECKING:
    from reasonchat.store.transcripts import TranscriptStore

REASONING_CYCLE = ("auto", "expanded", "collapsed", "hidden")


@dataclass
class ChatSession:
    config: Config
    options: ProviderOptions
    store_path: Path | None = None
    thinking: bool = True
    reasoning_mode: str = "auto"
    conversation_id: int | None = None
    remember: bool = True
    _provider: Provider | None = field(default=None, repr=False)
    unsaved_reason: str | None = None  # why this session lives in memory (the store file could not be opened)
    _store: TranscriptStore | None = field(default=None, repr=False)
    _store_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def store(self) -> TranscriptStore:
        """Opened on first use, after the first frame (SQLite is not needed to draw the screen), possibly by
        the preload thread, hence the lock. If the file cannot be opened (read-only or full data dir, a store
        from a newer reasonchat) the session goes on in an in-memory store, and `unsaved_reason` says why:
        the user can still chat, and is told nothing of it is kept."""
        with self._store_lock:
            if self._store is None:
                from reasonchat.errors import StoreError
                from reasonchat.store.transcripts import TranscriptStore

                try:
                    self._store = TranscriptStore(self.store_path)
                except StoreError as exc:
                    self.unsaved_reason = str(exc)
                    self._store = TranscriptStore(memory=True)
            return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def preset(self) -> Preset:
        return providers.choose_preset(self.config, self.options)

    def describe(self) -> tuple[str, str]:
        """(preset name, model) for the header, without resolving keys."""
        try:
            preset = self.preset()
        except ReasonChatError:
            return self.options.preset or "?", self.options.model or ""
        return preset.name, preset.model

    def provider(self) -> Provider:
        """The resolved provider (keys looked up once per switch); ReasonChatError says what is missing."""
        if self._provider is None:
            self._provider = providers.resolve(self.config, self.options)
        return self._provider

    def switch(self, preset: str, model: str | None) -> None:
        self.options = ProviderOptions(preset=preset, model=model or None)
        self._provider = None
        self.save()

    def set_model(self, model: str) -> None:
        self.options = replace(self.options, model=model)
        self._provider = None
        self.save()

    def toggle_thinking(self) -> None:
        self.thinking = not self.thinking
        self.save()

    def cycle_reasoning(self) -> str:
        index = REASONING_CYCLE.index(self.reasoning_mode) if self.reasoning_mode in REASONING_CYCLE else 0
        self.reasoning_mode = REASONING_CYCLE[(index + 1) % len(REASONING_CYCLE)]
        return self.reasoning_mode

    def save(self) -> None:
        if not self.remember:
            return
        name, _ = self.describe()
        with contextlib.suppress(OSError):  # remembering is a convenience; never fail a switch over it
            save_state(State(preset=name, model=self.options.model or "", thinking=self.thinking))
