"""The multi-line prompt: Enter sends, ctrl+j (or shift+enter where the terminal reports it) is a newline,
Up in an empty prompt asks to edit the last message, Tab goes to the latest turn above it.

Every paste arrives with plain newlines: terminals send CR for each line of a paste (xterm, VTE, tmux), so
CRLF and CR become LF before anything is inserted or held. A large paste (a log, a file: over LARGE_PASTE
characters) is held aside and shown as one line, "[pasted 1,048,576 characters #1]", which the message
expands when sent: the text area would otherwise re-wrap a megabyte on every key. That line is one unit for
every key that edits: a deletion that touches it (Backspace, Delete, ctrl+w, ctrl+u, a selection, cut) takes
all of it, typing inside it goes after it, and undo brings it back whole — so what is sent is the paste or
nothing of it, never a broken placeholder. While the last message is being edited the prompt says so in its
own border, in another colour.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import EditResult, Selection

from reasonchat.core.conversation import normalize_newlines

LARGE_PASTE = 10_000  # characters
TITLE = "Message · Enter sends · ctrl+j newline"
EDITING_TITLE = "Editing your last message · Enter sends it as a new version · Escape cancels"
Location = tuple[int, int]


class PromptInput(TextArea):
    DEFAULT_CSS = """
    PromptInput { height: auto; max-height: 10; min-height: 3; border: round $accent; }
    PromptInput.-editing { border: round $warning; }
    PromptInput.-editing > .text-area--cursor-line { background: $warning 10%; }
    """

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class EditLast(Message):
        """Up was pressed in an empty prompt."""

    class Emptied(Message):
        """The prompt was emptied by the user (while editing, that leaves the edit)."""

    class Mentioning(Message):
        """The text changed: its end, for the screen to say what an `@path` being typed would attach."""

        def __init__(self, tail: str) -> None:
            super().__init__()
            self.tail = tail

    class FileDropped(Message):
        """A pasted path of an existing file was put in as `@path` (a file dropped on the terminal)."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", id="prompt")
        self.border_title = TITLE
        self._pasted: dict[str, str] = {}
        self.editing = False

    def message(self) -> str:
        """The text to send: the prompt with each held paste put back in its place (held until the prompt is
        cleared, so an undo that brings a placeholder back brings its paste back too)."""
        text = self.text
        for token, pasted in self._pasted.items():
            text = text.replace(token, pasted)
        return text

    def _placeholders(self) -> list[tuple[Location, Location]]:
        """Where each held paste's line is in the prompt: (start, end) locations."""
        spans = []
        for row, line in enumerate(self.text.split("\n")):
            for token in self._pasted:
                column = line.find(token)
                while column >= 0:
                    spans.append(((row, column), (row, column + len(token))))
                    column = line.find(token, column + len(token))
        return spans

    def _whole(self, start: Location, end: Location) -> tuple[Location, Location]:
        """The range from `start` to `end`, grown to take in whole every placeholder it touches."""
        start, end = min(start, end), max(start, end)
        for first, last in self._placeholders():
            if start < last and first < end:
                start, end = min(start, first), max(end, last)
        return start, end

    def _delete_via_keyboard(self, start: Location, end: Location) -> EditResult | None:
        return super()._delete_via_keyboard(*self._whole(start, end))

    def _replace_via_keyboard(self, insert: str, start: Location, end: Location) -> EditResult | None:
        if start == end:  # typing inside a placeholder: after it
            for first, last in self._placeholders():
                if first < start < last:
                    start = end = last
        else:
            start, end = self._whole(start, end)
        return super()._replace_via_keyboard(insert, start, end)

    def action_cut(self) -> None:
        start, end = self._whole(*self.selection)
        self.selection = Selection(start, end)
        super().action_cut()

    def clear(self) -> EditResult:
        self._pasted.clear()
        return super().clear()

    def set_editing(self, editing: bool) -> None:
        """Show (or stop showing) that this prompt is editing the last message."""
        self.editing = editing
        self.set_class(editing, "-editing")
        self.border_title = EDITING_TITLE if editing else TITLE

    def put_back(self, text: str) -> None:
        """Put a sent message back to be edited; a long one comes back held aside, as a large paste does."""
        self.clear()
        self.insert(text if len(text) <= LARGE_PASTE else self._hold(text))

    def _hold(self, text: str) -> str:
        token = f"[pasted {len(text):,} characters #{len(self._pasted) + 1}]"
        self._pasted[token] = text
        return token

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # our own insert, with the line breaks made plain
        event.stop()
        if self.read_only:
            return
        text = normalize_newlines(event.text)
        dropped = dropped_file(text)
        if dropped is not None:  # a terminal that drops a file pastes its path: it is attached, and says so
            from reasonchat.core.attachments import quoted

            text = quoted(dropped) + " "
            self.post_message(self.FileDropped(dropped))
        if result := self._replace_via_keyboard(text if len(text) <= LARGE_PASTE else self._hold(text),
                                                *self.selection):
            self.move_cursor(result.end_location)

    def _complete_mention(self) -> bool:
        """Tab after an `@path` being typed: as much of the path as its matches share (a folder's `/` too).
        True when the cursor ends an `@…` word (Tab is then the completion's, even with nothing to add)."""
        from reasonchat.core.attachments import partial_mention

        row, column = self.cursor_location
        partial = partial_mention(self.document.get_line(row)[:column])
        if partial is None:
            return False
        self.run_worker(lambda: self._completion(partial, (row, column)), thread=True, exclusive=True,
                        group="complete")
        return True

    def _completion(self, partial: str, at: tuple[int, int]) -> None:
        """On a thread (it lists a folder), then the shared prefix typed in, if the prompt is still as it was."""
        import os

        from reasonchat.core.attachments import completions

        found = completions(partial, limit=200)
        shared = os.path.commonprefix(found) if found else ""  # noqa: RUF071 (names complete by character)
        if len(shared) > len(partial):
            self.app.call_from_thread(self._complete_at, at, shared[len(partial):])

    def _complete_at(self, at: tuple[int, int], rest: str) -> None:
        if self.cursor_location == at and not self.read_only:
            self.insert(rest)

    def on_text_area_changed(self, _: TextArea.Changed) -> None:
        if self.editing and not self.text:
            self.post_message(self.Emptied())
        self.post_message(self.Mentioning(self.text[-300:]))

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.prevent_default()
            event.stop()
            if self.text.strip():
                self.post_message(self.Submitted(self.message()))
            return
        if event.key in ("ctrl+j", "shift+enter"):
            event.prevent_default()
            event.stop()
            self.insert("\n")
            return
        if event.key == "up" and not self.text:
            event.prevent_default()
            event.stop()
            self.post_message(self.EditLast())
            return
        if event.key == "tab":  # to the latest turn, just above (the focus would wrap to the first, at the top)
            event.prevent_default()
            event.stop()
            if not self._complete_mention():
                self.screen.focus_previous()
            return
        await super()._on_key(event)


def dropped_file(text: str) -> str | None:
    """The path a paste is, when it is nothing but the path of an existing file (as terminals paste a dropped
    file: maybe quoted, maybe a file:// URL, maybe with its spaces escaped); else None."""
    from pathlib import Path
    from urllib.parse import unquote, urlsplit

    candidate = text.strip()
    if not candidate or "\n" in candidate or len(candidate) > 4096:
        return None
    if candidate[0] == candidate[-1] and candidate[0] in "'\"" and len(candidate) > 1:
        candidate = candidate[1:-1]
    if candidate.startswith("file://"):
        candidate = unquote(urlsplit(candidate).path)
    candidate = candidate.replace("\\ ", " ")
    if not candidate.startswith(("/", "~", "./", "../")):
        return None  # (a word that happens to name a file in the current folder is text someone pasted)
    return candidate if Path(candidate).expanduser().is_file() else None
