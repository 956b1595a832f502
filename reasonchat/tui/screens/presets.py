"""ctrl+k: choose the preset and model for the next message, and switch thinking on or off.

Models come from the provider's `GET /models` (loaded in the background), with the preset's own list as
the fallback when that fails or the key is missing; the reason a key is missing is shown at the top.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, Switch
from textual.widgets.option_list import Option

from reasonchat import providers
from reasonchat.config import Config
from reasonchat.errors import ReasonChatError
from reasonchat.sanitize import clean_line


@dataclass(frozen=True)
class Choice:
    preset: str
    model: str
    thinking: bool


class PresetPicker(ModalScreen[Choice | None]):
    DEFAULT_CSS = """
    PresetPicker { align: center middle; }
    PresetPicker > Vertical { width: 110; max-width: 98%; height: 80%; background: $panel;
                              border: round $accent; padding: 0 1; }
    PresetPicker Horizontal { height: 1fr; }
    PresetPicker OptionList { width: 1fr; height: 1fr; }
    PresetPicker #reason { color: $error; }
    PresetPicker .hint { color: $text-muted; }
    PresetPicker #thinking-row { height: 3; }
    PresetPicker #thinking-row Static { padding: 1 1; width: auto; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Back"), Binding("ctrl+t", "toggle_thinking", "Thinking")]

    def __init__(self, config: Config, current: str, model: str, thinking: bool, reason: str = "") -> None:
        super().__init__()
        self.config = config
        self.current = current
        self.model = model
        self.thinking = thinking
        self.reason = reason
        self.chosen_preset = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Preset and model — Enter picks · ctrl+t thinking · Escape goes back", classes="hint")
            yield Static(clean_line(self.reason), id="reason", markup=False)
            with Horizontal(id="thinking-row"):
                yield Static("Thinking")
                yield Switch(value=self.thinking, id="thinking")
            with Horizontal():
                yield OptionList(id="presets", markup=False)
                yield OptionList(id="models", markup=False)

    def on_mount(self) -> None:
        self.query_one("#reason").display = bool(self.reason)
        presets = self.query_one("#presets", OptionList)
        for preset in self.config.presets.values():
            where, present = providers.key_source(preset)
            status = "key ✓" if present else f"needs {where}"
            label = f"{preset.name}  ·  {clean_line(preset.model or '(first served)', 28)}  ·  {status}"
            presets.add_option(Option(label, id=preset.name))
        names = list(self.config.presets)
        if self.current in names:
            presets.highlighted = names.index(self.current)
        presets.focus()
        self.load_models(self.current)

    @on(OptionList.OptionHighlighted, "#presets")
    def on_preset_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.chosen_preset:
            self.chosen_preset = event.option.id
            self.load_models(event.option.id)

    @on(OptionList.OptionSelected, "#presets")
    def on_preset_selected(self, event: OptionList.OptionSelected) -> None:
        self.chosen_preset = event.option.id or self.chosen_preset
        self.query_one("#models", OptionList).focus()

    @on(OptionList.OptionSelected, "#models")
    def on_model_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Choice(self.chosen_preset, event.option.id or "", self.query_one(Switch).value))

    @work(exclusive=True, group="models")
    async def load_models(self, name: str) -> None:
        preset = self.config.presets.get(name)
        if preset is None:
            return
        models = list(preset.models) or ([preset.model] if preset.model else [])
        note = ""
        try:
            provider = providers.resolve(self.config, providers.ProviderOptions(preset=name))
            from reasonchat.core.client import ChatClient

            async with ChatClient(provider) as client:
                served = await client.list_models()
            models = served or models
        except ReasonChatError as exc:
            note = str(exc)
        self.show_models(name, models, note)

    def show_models(self, name: str, models: list[str], note: str) -> None:
        if name != self.chosen_preset or not self.is_attached:  # another preset, or the picker is gone
            return
        box = self.query_one("#models", OptionList)
        box.clear_options()
        preset = self.config.presets[name]
        for model in dict.fromkeys([m for m in [preset.model, *models] if m]):
            box.add_option(Option(clean_line(model, 60), id=model))
        if not box.option_count:
            box.add_option(Option("(the first model the server serves)", id=""))
        box.highlighted = 0
        reason = self.query_one("#reason", Static)
        reason.update(clean_line(note or self.reason))
        reason.display = bool(note or self.reason)

    def action_toggle_thinking(self) -> None:
        switch = self.query_one(Switch)
        switch.value = not switch.value

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
