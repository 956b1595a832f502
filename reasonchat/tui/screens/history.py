"""ctrl+o: the saved conversations, newest first; type to search (FTS, Chinese too), Enter opens one to read
or continue, ctrl+d deletes the highlighted one after a confirmation.

Searching a large store takes time (a two-character query cannot use the trigram index), so it never runs
on the screen's loop: typing waits for a short pause, the query runs on a worker thread with its own
connection, and a newer query interrupts the one still running. Rows mark conversations whose last answer
was stopped, broke off or failed; a search with no hits says so. Each row counts the messages its branch
shows (and says how many other versions it has), and a compare's row names its columns and what they cost
together: the figures `reasonchat history` gives (`TranscriptStore.listed`).

Keys typed before the rows have come (ctrl+o, Down, Enter in a burst) are not lost: they apply, in order, to
the rows when they come. The first Down from the search box moves to the second row — the first is already
the one Enter opens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reasonchat.core.cost import format_amount
from reasonchat.store.transcripts import Listing, TranscriptStore
from reasonchat.text.sanitize import clean_line
from reasonchat.tui.notice import tell
from reasonchat.tui.screens.confirm import ConfirmScreen
from reasonchat.tui.screens.once import Modal

PAUSE = 0.05  # seconds of no typing before a search starts (a stale one still running is interrupted)
MARKS = {"stopped": "■ stopped", "interrupted": "✗ broke off", "error": "✗ failed", "streaming": "… answering"}


def _opened(key: str) -> Opened:
    """An option's id back: "12" a conversation, "12:40" a search hit in message 40 of it (opened on the
    branch that message is on)."""
    conversation, _, message = key.partition(":")
    return int(conversation), int(message) if message else None


def _label(listed: Listing, snippet: str = "", open_id: int | None = None) -> str:
    c = listed.conversation
    when = datetime.fromtimestamp(c.updated_at).strftime("%Y-%m-%d %H:%M")
    is_open = open_id is not None and open_id in {c.id, *(m.id for m in listed.columns)}
    parts = [when,
             clean_line(c.title or "(untitled)", 60),
             f"{listed.shown} msgs" + (f" (+{listed.more_versions} other versions)" if listed.more_versions else ""),
             clean_line(listed.where(), 60 if listed.columns else 44)]
    if listed.cost is not None and listed.currency:
        parts.append(format_amount(listed.cost, listed.currency))
    if mark := MARKS.get(c.last_status or "", ""):
        parts.append(mark)
    if is_open:  # at the end, so that every row starts in the same column
        parts.append("◀ open now")
    return " · ".join(parts) + (f"\n    {clean_line(snippet, 110)}" if snippet else "")


Rows = list[tuple[Listing, str, int | None]]  # a conversation as listed, a search hit's snippet and message
Opened = tuple[int, int | None]  # what was picked: a conversation, and the message a search found in it


class HistoryScreen(Modal[Opened | None]):
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical { width: 110; max-width: 98%; height: 85%; background: $panel;
                               border: round $accent; padding: 0 1; }
    HistoryScreen OptionList { height: 1fr; }
    HistoryScreen .hint, HistoryScreen #empty { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Back"), Binding("ctrl+d", "delete", "Delete", priority=True),
                Binding("down", "focus_list", "List", show=False)]

    def __init__(self, store: TranscriptStore, delete: Callable[[int], Awaitable[bool]],
                 open_id: int | None = None) -> None:
        super().__init__()
        self.store = store
        self._delete = delete
        self.open_id = open_id
        self._typing: Timer | None = None
        self.shown_query: str | None = None  # the query whose results are on screen (None: none yet)
        self.moves = 0  # Downs from the search box before its rows came: applied when they come
        self.opening = False  # Enter before its rows came: opens the row they land on

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("History — type to search · Enter opens · ctrl+d deletes · Escape goes back",
                         classes="hint")
            yield Input(placeholder="search your conversations (answers and messages)", id="search")
            yield Static("", id="empty", markup=False)
            yield OptionList(id="conversations", markup=False)

    def on_mount(self) -> None:
        self.query_one("#empty").display = False
        self.search("")
        self.query_one(Input).focus()

    @on(Input.Changed, "#search")
    def on_search(self, event: Input.Changed) -> None:
        if self._typing is not None:
            self._typing.stop()
        self._typing = self.set_timer(PAUSE, lambda: self.search(event.value))

    @work(thread=True, exclusive=True, group="search")
    def search(self, query: str) -> None:
        self.store.interrupt_reads()  # the query still running for an older text is of no use now
        worker = get_current_worker()
        try:
            if query.strip():
                seen: set[int] = set()
                rows: Rows = []
                for hit in self.store.search(query, limit=100, reasoning=True):
                    if hit.conversation.id not in seen:
                        seen.add(hit.conversation.id)
                        rows.append((self.store.listed(hit.conversation), hit.snippet, hit.message_id))
            else:
                rows = [(listed, "", None) for listed in self.store.listing(limit=200)]
        except Exception:  # interrupted by a newer query (or the screen closed): a newer search follows
            if worker.is_cancelled:
                return
            raise
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show, query, rows)

    def show(self, query: str, rows: Rows) -> None:
        if not self.is_attached:
            return
        options = self.query_one(OptionList)
        kept = options.highlighted if query == self.shown_query else None  # the same rows again (after a delete)
        options.clear_options()
        for listed, snippet, found in rows:
            key = f"{listed.conversation.id}:{found}" if found is not None else str(listed.conversation.id)
            options.add_option(Option(_label(listed, snippet, self.open_id), id=key))
        if options.option_count:
            options.highlighted = min(kept or 0, options.option_count - 1)
        empty = self.query_one("#empty", Static)
        if not rows:
            empty.update(f"No conversation matches “{clean_line(query, 60)}”" if query.strip()
                         else 'No conversations yet — close this and say something')
        empty.display = not rows
        self.shown_query = query
        if self._current():
            self._catch_up()

    def _current(self) -> bool:
        """The rows on screen are those of what the search box says."""
        return self.shown_query == self.query_one("#search", Input).value

    def _catch_up(self) -> None:
        """Keys typed before these rows came, applied to them now, in order."""
        moves, self.moves = self.moves, 0
        opening, self.opening = self.opening, False
        options = self.query_one(OptionList)
        if moves and options.option_count:
            options.highlighted = min(moves, options.option_count - 1)
            options.focus()
        if opening:
            self.open_highlighted()

    @on(Input.Submitted, "#search")
    def on_search_submitted(self) -> None:
        if not self._current():  # its rows are still to come: open what they bring
            self.opening = True
            return
        self.open_highlighted()

    @on(OptionList.OptionSelected)
    def on_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(_opened(event.option.id))

    def open_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id is not None:
                self.dismiss(_opened(option.id))

    def action_focus_list(self) -> None:
        """Down from the search box: to the list, one row on (the first row is the one Enter opens already)."""
        if not self._current():
            self.moves += 1  # the rows for what was typed are still to come
            return
        options = self.query_one(OptionList)
        options.focus()
        if options.option_count:
            options.highlighted = min((options.highlighted or 0) + 1, options.option_count - 1)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id is None:
            return
        summary = self.store.require(_opened(option.id)[0])
        # A compare is one entry: deleting it deletes its columns, each a conversation of its own.
        doomed = [m.id for m in self.store.compare_members(summary.compare_id)] if summary.compare_id else [summary.id]
        title = summary.title
        is_open = self.open_id in doomed

        async def done(yes: bool | None) -> None:
            if yes:
                for conversation_id in doomed:
                    if not await self._delete(conversation_id):
                        return
                if is_open:
                    self.open_id = None
                tell(self, f"Deleted “{clean_line(title, 40)}”" + (" — it was open; a new one is" if is_open else ""))
                self.search(self.query_one(Input).value)

        question = (f"Delete “{clean_line(title, 60)}” for good?" if len(doomed) == 1 else
                    f"Delete the compare “{clean_line(title, 60)}” ({len(doomed)} conversations) for good?")
        if is_open:
            question += " It is the conversation you have open."
        self.app.push_screen(ConfirmScreen(question), done)
