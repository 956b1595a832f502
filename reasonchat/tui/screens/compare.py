"""F2 (or `reasonchat --compare a,b:model`): one prompt to two or three providers at once, side by side.

Each column is its own conversation (stored as such, linked as one compare: history lists it once, search
and export see each column), streams on its own worker, and fails or stops alone. Follow-ups go to every
column, each continuing its own conversation; F5/F6/F7 continues with column N's conversation in the ordinary
chat. On a narrow terminal the columns stack. A timer copies what arrived onto the screen, each column at 15 Hz
as the chat does for one, the columns in turn.
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from reasonchat.config import Config
from reasonchat.errors import ReasonChatError
from reasonchat.providers import ProviderOptions
from reasonchat.tui.notice import in_the_tui, tell
from reasonchat.tui.screens.once import DismissedOnce
from reasonchat.tui.session import ChatSession
from reasonchat.tui.widgets.compare_column import CompareColumn
from reasonchat.tui.widgets.prompt import PromptInput
from reasonchat.tui.widgets.status_bar import StatusBar

TICK = 1 / 15
STACK_BELOW = 40  # columns narrower than this many cells stack instead
COLUMN_KEYS = ("f5", "f6", "f7")  # one per column: alt+digit is not a key terminals agree on
HINT = "Compare — Enter asks every column · F5/F6/F7 stop column 1/2/3, or once it is done continue it in the " \
       "chat · Escape stops all, then goes back"


class CompareScreen(DismissedOnce[tuple[int, ProviderOptions] | None]):
    """Dismissed with the conversation to continue in the chat (F5/F6/F7), or None (Escape)."""

    DEFAULT_CSS = """
    CompareScreen #compare-hint { height: auto; padding: 0 1; background: $primary-background; color: $text; }
    CompareScreen #columns { height: 1fr; }
    CompareScreen #columns.-stacked { layout: vertical; }
    """
    BINDINGS = [
        Binding("escape", "stop_or_leave", "Stop / back", priority=True),
        *(Binding(key, f"column({n})", f"Column {n}", show=False, priority=True)
          for n, key in enumerate(COLUMN_KEYS, start=1)),
    ]

    def __init__(self, config: Config, specs: list[ProviderOptions], *, store_path: Path | None = None,
                 thinking: bool = True, reasoning_mode: str = "auto", conversations: list[int] | None = None) -> None:
        """`conversations`: a compare reopened from history, one per column (`specs` are theirs)."""
        super().__init__()
        self.columns_ = [
            CompareColumn(n, ChatSession(config=config, options=spec, store_path=store_path, thinking=thinking,
                                         reasoning_mode=reasoning_mode, remember=False,
                                         conversation_id=conversations[n - 1] if conversations else None))
            for n, spec in enumerate(specs, start=1)
        ]
        self.linked = bool(conversations)
        self.checked = False  # every column's key has been looked up (found or not)
        self.waiting: str | None = None  # a question sent before that: asked as soon as it is

    def compose(self) -> ComposeResult:
        yield Static(HINT, id="compare-hint", markup=False)
        with Horizontal(id="columns"):
            yield from self.columns_
        yield PromptInput()
        yield StatusBar()

    def on_mount(self) -> None:
        for column in self.columns_:  # the app's tools and approvals, shared with every column
            column.session.tooling = getattr(self.app, "tooling", None)
        self._next = 0
        self.set_interval(TICK / len(self.columns_), self._tick)  # one column a call: their work interleaves
        self.query_one(PromptInput).focus()
        self._layout(self.size.width)
        self.resolve_keys()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.query_one("#columns").set_class(width < STACK_BELOW * len(self.columns_), "-stacked")

    async def _tick(self) -> None:
        """Each column at 15 Hz, but never all of them in the same turn of the loop: three columns drawn at
        once held the loop three times as long (p99 lag 60 ms, streams read late)."""
        column = self.columns_[self._next % len(self.columns_)]
        self._next += 1
        await column.tick()

    @property
    def streaming(self) -> bool:
        return any(column.streaming for column in self.columns_)

    @work(thread=True, group="compare-keys")
    def resolve_keys(self) -> None:
        """Each column's key, looked up off the loop (an `api_key_cmd` may take seconds); a column whose key is
        missing says so and sits out — the others compare."""
        for column in self.columns_:
            _ = column.session.store  # opened here, off the loop (a first send would open it on the loop)
            try:
                provider = column.session.resolve_provider()
            except ReasonChatError as exc:
                self.app.call_from_thread(column.say, f"cannot ask: {in_the_tui(exc)}")
                continue
            column.provider = provider
        self.app.call_from_thread(self._keys_checked)

    def _keys_checked(self) -> None:
        self.checked = True
        if self.waiting is not None:
            text, self.waiting = self.waiting, None
            self._ask(text)

    @on(PromptInput.Submitted)
    def on_prompt_submitted(self, event: PromptInput.Submitted) -> None:
        if self.streaming:
            tell(self, "Still answering — Escape stops every column, F5/F6/F7 one", severity="warning")
            return
        if not self.checked:  # asked as soon as the keys are known; it stays in the prompt until then
            self.waiting = event.text
            self.query_one(StatusBar).say("Checking the keys… your question goes as soon as they are known")
            return
        self._ask(event.text)

    def _ask(self, text: str) -> None:
        ready = [column for column in self.columns_ if column.provider is not None]
        if not ready:
            tell(self, "No column can be asked: every key is missing (each column says which)", severity="warning")
            return
        self.query_one(PromptInput).clear()
        for column in ready:
            try:
                column.start(text)
            except ReasonChatError as exc:  # the store refused: this column cannot keep its answer
                column.say(str(exc))
        self._link()
        count = len(ready)
        self.query_one(StatusBar).say(f"Asked {count} column{'s' if count != 1 else ''}")

    def _link(self) -> None:
        ids = [c.session.conversation_id for c in self.columns_ if c.session.conversation_id is not None]
        if not self.linked and len(ids) >= 2:
            self.columns_[0].session.store.link_compare(ids)
            self.linked = True

    async def action_stop_or_leave(self) -> None:
        if self.streaming:
            stopped = [column for column in self.columns_ if column.stop()]
            await self._settled()
            tell(self, f"Stopped {len(stopped)} column{'s' if len(stopped) != 1 else ''} — what arrived is saved",
                        timeout=5)
        else:
            self._close()
            self.dismiss(None)

    async def action_column(self, number: int) -> None:
        if number > len(self.columns_):
            return
        column = self.columns_[number - 1]
        if column.stop():
            await self._settled()
            tell(self, f"Stopped column {number} — the others go on", timeout=4)
        elif column.session.conversation_id is not None:
            self._close()
            self.dismiss((column.session.conversation_id, column.session.options))
        else:
            tell(self, f"Column {number} has no answer yet to continue with", timeout=4)

    async def _settled(self) -> None:
        for column in self.columns_:
            if column.worker is not None and not column.worker.is_finished:
                with contextlib.suppress(Exception):  # cancelled (what stopping is), or a failure already shown
                    await asyncio.wait_for(column.worker.wait(), timeout=10)

    def _close(self) -> None:
        for column in self.columns_:
            column.session.close()
