"""ctrl+k: choose the provider and model for the next message, switch thinking on or off (F3, as in the chat),
step the effort (ctrl+g), and set the open conversation's own role, temperature and max tokens (kept with it
in the store).

The provider in use is always a row, with what the command line changed (`--base-url`, `--api-key-env`):
picking a model on it keeps those. Enter on a row picks it with its model; → (or Tab) goes to the models,
which come from that provider's own `GET /models` (the preset's list when that fails or the key is
missing); typing there filters them. Keys are looked up on a thread ("checking key…": an `api_key_cmd` may
take seconds), and a preset without its key says what to set before it is picked, and again, instead of
closing, if it is. The thinking switch applies as soon as it is flipped, whether the picker is then left with
Enter or Escape; so do the role, temperature and max tokens once valid — Enter in one of those fields closes
the picker, and a value that is not one is said, not kept.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, OptionList, Select, Static, Switch
from textual.widgets.option_list import Option

from reasonchat import providers
from reasonchat.errors import ReasonChatError
from reasonchat.providers import ProviderOptions
from reasonchat.text.sanitize import clean_line
from reasonchat.tui.commands import with_key
from reasonchat.tui.notice import in_the_tui, tell
from reasonchat.tui.screens.once import Modal
from reasonchat.tui.session import CURRENT, ChatSession

SMALL = 24  # rows: below this the picker takes the whole screen and drops its hint line
FIELDS = {"temperature": "temperature", "max-tokens": "max_tokens"}  # the fields' ids → the settings they set


@dataclass(frozen=True)
class Choice:
    preset: str  # a preset's name, or CURRENT: the provider in use, overrides included
    model: str


class PresetPicker(Modal[Choice | None]):
    DEFAULT_CSS = """
    PresetPicker { align: center middle; }
    PresetPicker > Vertical { width: 110; max-width: 98%; height: 80%; background: $panel;
                              border: round $accent; padding: 0 1; }
    PresetPicker Horizontal { height: 1fr; }
    PresetPicker OptionList { width: 1fr; height: 1fr; }
    PresetPicker #presets { width: 2fr; }
    PresetPicker #reason { color: $error; }
    PresetPicker #reason.-progress { color: $text-muted; }
    PresetPicker .hint { color: $text-muted; }
    PresetPicker #thinking-row, PresetPicker #conversation-row { height: 3; }
    PresetPicker .label { padding: 1 1; width: auto; }
    PresetPicker #conversation-row Select { width: 28; }
    PresetPicker #conversation-row Input { width: 18; }
    PresetPicker.-small > Vertical { height: 100%; max-width: 100%; }
    PresetPicker.-small .hint { display: none; }
    """
    BINDINGS = [
        Binding("escape", "dismiss_none", "Back"),
        Binding("f3", "toggle_thinking", "Thinking", id="thinking"),
        Binding("ctrl+g", "cycle_effort", "Effort"),
        Binding("right", "to_models", "Models", show=False),
        Binding("left", "to_presets", "Presets", show=False),
    ]

    def __init__(self, session: ChatSession, reason: str = "") -> None:
        super().__init__()
        self.session = session
        self.reason = reason
        self.rows: dict[str, ProviderOptions] = {}
        if session.overridden:
            self.rows[CURRENT] = session.options
        for name in session.config.presets:
            self.rows[name] = ProviderOptions(preset=name)
        try:
            in_use = session.preset().name
        except ReasonChatError:
            in_use = next(iter(self.rows))
        self.in_use = CURRENT if CURRENT in self.rows else in_use
        self.highlighted_row = self.in_use
        self.missing: dict[str, str] = {}  # rows whose key is missing: what to set
        self.models: list[str] = []  # the highlighted row's models, before the filter
        self.filter = ""  # what was typed in the model list

    def compose(self) -> ComposeResult:
        thinking_key = with_key("", "thinking", self.session.config.keys).strip(" ()")
        with Vertical():
            yield Static(f"Provider and model — Enter picks · → models (type to filter) · {thinking_key} thinking · "
                         "Escape goes back", classes="hint", markup=False)
            yield Static(clean_line(self.reason), id="reason", markup=False)
            with Horizontal(id="thinking-row"):
                yield Static("Thinking", classes="label")
                yield Switch(value=self.session.thinking, id="thinking")
                yield Static(self._effort_text(), id="effort", classes="label", markup=False)
                yield Static("Tools (this chat)", classes="label")
                yield Switch(value=self.session.tools_on(), id="tools")
            settings = self.session.settings()
            with Horizontal(id="conversation-row"):
                yield Static("This conversation:", classes="label")
                roles = [(clean_line(name, 24), name) for name in self.session.config.roles]
                yield Select(roles, prompt="no role" if roles else "no roles defined",
                             value=settings.get("role") or Select.NULL, id="role", disabled=not roles)
                yield Input(str(settings.get("temperature", "")), placeholder="temperature", id="temperature")
                yield Input(str(settings.get("max_tokens", "")), placeholder="max tokens", id="max-tokens")
            with Horizontal():
                yield OptionList(id="presets", markup=False)
                yield OptionList(id="models", markup=False)

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < SMALL, "-small")
        self.query_one("#reason").display = bool(self.reason)
        box = self.query_one("#presets", OptionList)
        for row in self.rows:
            box.add_option(Option(self._label(row), id=row))
        names = list(self.rows)
        if self.highlighted_row in names:
            box.highlighted = names.index(self.highlighted_row)
        box.focus()
        self.load_models(self.highlighted_row)

    def _label(self, row: str) -> str:
        if row == CURRENT:
            name, model = self.session.describe()
            return f"▶ {clean_line(name, 36)} · {clean_line(model or '(first served)', 24)} · in use"
        preset = self.session.config.presets[row]
        where, present = preset.key_source()
        status = "" if present else f" · needs {where}"
        mark = "▶ " if row == self.in_use else "  "
        return f"{mark}{preset.name} · {clean_line(preset.model or '(first served)', 24)}{status}"

    def _preset_model(self, row: str) -> str:
        """What picking the row itself (not a model) chooses: the model in use, or the preset's own."""
        return (self.session.options.model or "") if row == self.in_use else ""

    # -- rows and models ----------------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#presets")
    def on_preset_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        row = event.option.id
        if row and row != self.highlighted_row:
            self.highlighted_row = row
            self.load_models(row)

    @on(OptionList.OptionSelected, "#presets")
    def on_preset_selected(self, event: OptionList.OptionSelected) -> None:
        row = event.option.id or self.highlighted_row
        self._choose(row, self._preset_model(row))

    @on(OptionList.OptionSelected, "#models")
    def on_model_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(self.highlighted_row, event.option.id or "")

    def _choose(self, row: str, model: str) -> None:
        if row in self.missing:  # nothing could be sent there: say so, and how to fix it, rather than fail later
            self._say(f"Not switched: {self.missing[row]}")
            return
        self.dismiss(Choice(row, model))

    @work(exclusive=True, group="models")
    async def load_models(self, row: str) -> None:
        options = self.rows[row]
        preset = providers.choose_preset(self.session.config, options)
        fallback = list(preset.models) or ([preset.model] if preset.model else [])
        self._show_models(row, [], "checking key…" if preset.api_key_cmd else "loading models…")
        try:  # a key command may take seconds: on a thread, never on the screen's loop
            provider = await asyncio.to_thread(providers.resolve, self.session.config, options)
        except ReasonChatError as exc:
            self.missing[row] = in_the_tui(exc)
            self._show_models(row, fallback, self.missing[row])
            return
        self.missing.pop(row, None)
        self._show_models(row, fallback, "loading models…")
        from reasonchat.core.client import ChatClient

        note = ""
        try:
            async with ChatClient(provider) as client:
                fallback = await client.list_models() or fallback
        except ReasonChatError as exc:
            note = f"{exc} — showing the preset's own list"
        self._show_models(row, fallback, note)

    def _show_models(self, row: str, models: list[str], note: str) -> None:
        if row != self.highlighted_row or not self.query("#models"):  # another row, or the picker is going
            return
        current = self.session.options.model if row == self.in_use else None
        preset_model = providers.choose_preset(self.session.config, self.rows[row]).model
        self.models = list(dict.fromkeys(m for m in [current, preset_model, *models] if m))
        self.filter = ""
        self._fill_models(empty="" if "…" in note else "(the first model the server serves)")
        self._say(note, error=row in self.missing or not note.endswith("…"))

    def _fill_models(self, empty: str = "") -> None:
        """The model list as filtered (its title says by what); `empty`: the row shown when there are none."""
        box = self.query_one("#models", OptionList)
        box.clear_options()
        wanted = self.filter.lower()
        for model in self.models:
            if wanted in model.lower():
                box.add_option(Option(clean_line(model, 60), id=model))
        if not box.option_count and empty and not self.filter:
            box.add_option(Option(empty, id=""))
        if box.option_count:
            box.highlighted = 0
        box.border_title = f"models matching “{clean_line(self.filter, 30)}”" if self.filter else ""

    def on_key(self, event: events.Key) -> None:
        """In the model list, typing filters it (Backspace takes back a character). Once a choice has closed
        the picker, keys that were already on their way here (typed in the same instant) are the chat's."""
        if self.app.screen is not self:
            if event.is_printable or event.key == "backspace":
                event.stop()
                below = self.app.screen
                (below.focused or below).post_message(events.Key(event.key, event.character))
            return
        if self.focused is not self.query_one("#models", OptionList):
            return
        if event.is_printable and event.character and event.character != " ":
            self.filter += event.character
        elif event.key == "backspace" and self.filter:
            self.filter = self.filter[:-1]
        else:
            return
        event.stop()
        self._fill_models()

    def _say(self, text: str, error: bool = True) -> None:
        """The line under the title: what is wrong (or, muted, what is being done: "checking key…")."""
        line = next(self.query("#reason").results(Static), None)
        if line is None:  # the picker is being dismissed
            return
        line.update(clean_line(text or self.reason))
        line.display = bool(text or self.reason)
        line.set_class(not error and bool(text), "-progress")

    # -- keys -----------------------------------------------------------------------------------------------

    @on(Switch.Changed, "#thinking")
    def on_thinking_changed(self, event: Switch.Changed) -> None:
        self.session.set_thinking(event.value)
        self.query_one("#effort", Static).update(self._effort_text())

    def action_toggle_thinking(self) -> None:
        switch = self.query_one("#thinking", Switch)
        switch.value = not switch.value

    @on(Switch.Changed, "#tools")
    def on_tools_changed(self, event: Switch.Changed) -> None:
        """The MCP servers' tools offered in this conversation, or not (F4 in the chat; kept with it)."""
        if event.value != self.session.tools_on():
            self.session.toggle_tools()

    def _effort_text(self) -> str:
        plan = self.session.plan()
        note = f" — {plan.notes[0]}" if plan.notes else ""
        return f"sends: {plan.label()}{note} · {with_key('', 'effort', self.session.config.keys).strip(' ()')} effort"

    def action_cycle_effort(self) -> None:
        self.session.cycle_effort()
        self.query_one("#effort", Static).update(self._effort_text())

    @on(Select.Changed, "#role")
    def on_role_changed(self, event: Select.Changed) -> None:
        role = event.value if isinstance(event.value, str) else None
        self.session.set_settings(role=role)
        self.query_one("#effort", Static).update(self._effort_text())

    @on(Input.Changed, "#temperature")
    @on(Input.Changed, "#max-tokens")
    def on_field_changed(self, event: Input.Changed) -> None:
        """A valid value is kept at once; one that is not is said (and not kept)."""
        name = FIELDS[event.input.id or ""]
        value, problem = _field_value(name, event.value)
        if problem:
            self._say(problem)
            return
        note = "thinking mode ignores temperature on DeepSeek and most reasoning models"
        self._say(note if name == "temperature" and value is not None else "", error=False)
        self.session.set_settings(**{name: value})

    @on(Input.Submitted, "#temperature")
    @on(Input.Submitted, "#max-tokens")
    def on_field_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field: done, if what it holds is a value (else it says why and stays)."""
        _, problem = _field_value(FIELDS[event.input.id or ""], event.value)
        if problem:
            self._say(problem)
        else:
            self.dismiss(None)

    def _invalid_fields(self) -> list[str]:
        """What the fields hold that is not a value (and so was not kept): one line for each."""
        out = []
        for field, name in FIELDS.items():
            text = self.query_one(f"#{field}", Input).value
            _, problem = _field_value(name, text)
            if problem:
                out.append(f"{name.replace('_', ' ')} “{clean_line(text, 20)}” was not kept: {problem}")
        return out

    def action_to_models(self) -> None:
        """Focus moves now, not on the next turn of the loop: keys typed right after (→ Enter) follow it."""
        models = self.query_one("#models", OptionList)
        if models.option_count:
            self.set_focus(models)

    def action_to_presets(self) -> None:
        self.set_focus(self.query_one("#presets", OptionList))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def dismiss(self, result: Choice | None = None) -> AwaitComplete:
        for problem in self._invalid_fields():  # nothing typed disappears without a word
            tell(self, problem, severity="warning", timeout=8)
        return super().dismiss(result)


def _field_value(name: str, text: str) -> tuple[float | int | None, str]:
    """(the value, "") of a temperature or max tokens field, or (None, what is wrong); empty: the preset's own."""
    text = text.strip().replace("_", "")
    if not text:
        return None, ""
    if name == "temperature":
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        return (value, "") if 0 <= value <= 2 else (None, "temperature is a number from 0 to 2 (empty: the "
                                                           "preset's own)")
    if text.isdigit() and int(text) > 0:
        return int(text), ""
    return None, "max tokens is a whole number above 0 (empty: the preset's own)"
