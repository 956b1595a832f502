"""ctrl+o: the saved conversations, newest first; type to search (FTS, Chinese too), Enter opens one to
read or continue, ctrl+d deletes the highlighted one after a confirmation."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reasonchat.sanitize import clean_line
from reasonchat.store.transcripts import ConversationSummary, TranscriptStore
from reasonchat.tui.screens.confirm import ConfirmScreen


def _label(c: ConversationSummary, snippet: str = "") -> str:
    when = datetime.fromtimestamp(c.updated_at).strftime("%Y-%m-%d %H:%M")
    line = f"{when}  {clean_line(c.title or '(untitled)', 60)}  · {c.message_count} msgs · {clean_line(c.model, 30)}"
    return line + (f"\n    {clean_line(snippet, 110)}" if snippet else "")


class HistoryScreen(ModalScreen[int | None]):
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > Vertical { width: 110; max-width: 98%; height: 85%; background: $panel;
                               border: round $accent; padding: 0 1; }
    HistoryScreen OptionList { height: 1fr; }
    HistoryScreen .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Back"), Binding("ctrl+d", "delete", "Delete", priority=True),
                Binding("down", "focus_list", "List", show=False)]

    def __init__(self, store: TranscriptStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("History — type to search · Enter opens · ctrl+d deletes · Escape goes back",
                         classes="hint")
            yield Input(placeholder="search your conversations (answers and messages)", id="search")
            yield OptionList(id="conversations", markup=False)

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if query.strip():
            seen: set[int] = set()
            for hit in self.store.search(query, limit=100, reasoning=True):
                if hit.conversation.id not in seen:
                    seen.add(hit.conversation.id)
                    options.add_option(Option(_label(hit.conversation, hit.snippet), id=str(hit.conversation.id)))
        else:
            for summary in self.store.list_conversations(limit=200):
                options.add_option(Option(_label(summary), id=str(summary.id)))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#search")
    def on_search(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#search")
    def on_search_submitted(self) -> None:
        self.open_highlighted()

    @on(OptionList.OptionSelected)
    def on_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def open_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id is not None:
                self.dismiss(int(option.id))

    def action_focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id is None:
            return
        conversation_id = int(option.id)
        title = self.store.require(conversation_id).title

        def done(yes: bool | None) -> None:
            if yes:
                self.store.delete(conversation_id)
                self.notify(f"Deleted “{clean_line(title, 40)}”")
                self.fill(self.query_one(Input).value)

        self.app.push_screen(ConfirmScreen(f"Delete “{clean_line(title, 60)}” for good?"), done)
