"""What the app does after its first frame, each on a worker thread: check the provider (a missing key opens
the picker with the reason, instead of failing the start), open the store (so a read-only or full data dir
is told before the user has written anything) and the conversation asked for, index old messages for search,
and load what the first answer needs."""

from __future__ import annotations

import contextlib
import gc
import threading
from typing import Literal

from reasonchat.errors import ReasonChatError
from reasonchat.tui.notice import in_the_tui, tell
from reasonchat.tui.screens.chat import ChatScreen

OpenAtStart = int | Literal["last"] | None


def start(chat: ChatScreen, open_at_start: OpenAtStart, provider_named: bool, stopping: threading.Event) -> None:
    """`open_at_start`: the conversation `-c` / `--conversation` asked for; `provider_named`: the command line
    chose the provider; `stopping`: set when the app ends (the index stops at its next step)."""
    app = chat.app
    if open_at_start is None:
        app.run_worker(lambda: check_provider(chat), thread=True, group="preload")
    app.run_worker(lambda: open_store(chat, open_at_start, provider_named), thread=True, group="preload")
    app.run_worker(preload_client, thread=True, group="preload")
    app.run_worker(lambda: index_pairs(chat, stopping), thread=True, group="backfill", exit_on_error=False)


def index_pairs(chat: ChatScreen, stopping: threading.Event) -> None:
    """Messages from before the two-character index, indexed in the background (store/cjk.py). Best effort:
    if it cannot (a locked or read-only store), a search still scans what is not indexed."""
    with contextlib.suppress(Exception):
        chat.session.store.backfill_pairs(stopping)


def open_store(chat: ChatScreen, open_at_start: OpenAtStart, provider_named: bool) -> None:
    """Open the store now rather than at the first message (the session then goes on in memory if it cannot),
    and the conversation asked for."""
    app, session = chat.app, chat.session
    store = session.store
    if session.unsaved_reason:
        app.call_from_thread(chat.refresh_header)
        app.call_from_thread(tell, app, f"{session.unsaved_reason}. Nothing of this session is saved.",
                             title="Not saving", severity="warning", timeout=20)
    wanted = open_at_start
    if wanted == "last":
        wanted = store.last_conversation_id()
        if wanted is None:
            app.call_from_thread(tell, app, "No earlier conversation to continue — this is a new one", timeout=5)
    if isinstance(wanted, int):
        continue_on_its_provider(chat, wanted, provider_named)
        app.call_from_thread(app.run_worker, chat.open_conversation(wanted), group="intent")
    if open_at_start is not None:
        check_provider(chat)


def continue_on_its_provider(chat: ChatScreen, conversation_id: int, provider_named: bool) -> None:
    """`-c` / `--conversation ID` goes on with the preset and model the conversation used, as `ask -c` does,
    unless the command line named a provider (or a model: then that model, on its preset)."""
    session = chat.session
    with contextlib.suppress(ReasonChatError):
        used = session.store.require(conversation_id)
        if not provider_named and used.preset in session.config.presets:
            session.choose(used.preset, session.options.model or used.model or None)
            chat.app.call_from_thread(chat.refresh_header)


def check_provider(chat: ChatScreen) -> None:
    """On a thread: an `api_key_cmd` (a password manager) may take its time without freezing the screen. A
    missing key opens the picker with the reason (the app's answer to `KeyMissing`)."""
    try:
        chat.session.resolve_provider()
    except ReasonChatError as exc:
        chat.app.call_from_thread(chat.post_message, ChatScreen.KeyMissing(in_the_tui(exc)))


def preload_client() -> None:
    """What the first message needs, loaded while the user types it: the SDK (~0.5 s), the live Markdown
    widget (~0.1 s) and the math converter (~0.1 s).

    Then everything loaded so far is frozen out of the garbage collector: a full collection scans every
    live object, and Textual, Rich and the SDK leave hundreds of thousands behind, so each one during a
    stream took ~75 ms of CPU and stalled the screen. Frozen, only what was made since is scanned."""
    from reasonchat.core.client import warm_up
    from reasonchat.text import latex
    from reasonchat.tui.widgets import answer  # noqa: F401

    warm_up()
    latex.warm_up()
    gc.freeze()
