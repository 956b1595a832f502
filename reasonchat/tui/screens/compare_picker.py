"""F2: which two or three providers to compare — the presets, each with its model and, where it is missing,
the key it needs (said before it is ticked, as the picker does); Space ticks one, Enter compares the ticked
ones. A ticked preset without its key is said again, and Enter compares only once every ticked one can be
asked."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static

from reasonchat.providers import ProviderOptions
from reasonchat.text.sanitize import clean_line
from reasonchat.tui.screens.once import Modal
from reasonchat.tui.session import ChatSession


class ComparePicker(Modal[list[ProviderOptions] | None]):
    DEFAULT_CSS = """
    ComparePicker { align: center middle; }
    ComparePicker > Vertical { width: 80; max-width: 96%; height: auto; max-height: 80%; background: $panel;
                               border: round $accent; padding: 0 1; }
    ComparePicker SelectionList { height: auto; max-height: 20; }
    ComparePicker .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Back"), Binding("enter", "compare", "Compare", priority=True)]

    def __init__(self, session: ChatSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        rows = []
        for name, preset in self.session.config.presets.items():
            where, present = preset.key_source()
            needs = "" if present else f" · needs {where}"
            rows.append((clean_line(f"{name} · {preset.model or 'first served'}{needs}", 70), name))
        with Vertical():
            yield Static("Compare — Space ticks 2 or 3 providers · Enter compares · Escape goes back", classes="hint")
            yield SelectionList[str](*rows)
            yield Static("", id="compare-note", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def _keyless(self, names: list[str]) -> list[str]:
        """The presets among `names` whose key is not there, each with what it needs."""
        out = []
        for name in names:
            where, present = self.session.config.presets[name].key_source()
            if not present:
                out.append(f"{name} needs {where}")
        return out

    @on(SelectionList.SelectedChanged)
    def on_changed(self) -> None:
        chosen = list(self.query_one(SelectionList).selected)
        count = len(chosen)
        note = f"{count} ticked" + (" — at most 3" if count > 3 else "")
        keyless = self._keyless(chosen)
        self.query_one("#compare-note", Static).update(note + (f" — {'; '.join(keyless)}" if keyless else ""))

    def action_compare(self) -> None:
        chosen = list(self.query_one(SelectionList).selected)
        if not 2 <= len(chosen) <= 3:
            self.query_one("#compare-note", Static).update("Tick 2 or 3 providers (Space), then Enter")
            return
        keyless = self._keyless(chosen)
        if keyless:
            self.query_one("#compare-note", Static).update(f"Cannot ask: {'; '.join(keyless)} — untick it, or set "
                                                           "the key and start again")
            return
        self.dismiss([ProviderOptions(preset=name) for name in chosen])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
