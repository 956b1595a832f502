"""A malicious provider's model ids and error text, through the picker, the header, notices and history:
every byte the screen sends stays text, colours and cursor moves, and markup shows as written."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from reasonchat.demo.scenarios import HOSTILE_MODEL_IDS
from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.text.sanitize import clean_line
from reasonchat.tui.app import make_app
from reasonchat.tui.screens.history import HistoryScreen
from reasonchat.tui.screens.presets import PresetPicker
from reasonchat.tui.widgets.turn import AssistantTurn
from tests.tui.conftest import assert_terminal_safe, send, settle, terminal_output, until, write_config

SIZE = (130, 50)
LITERAL = ["[@click=app.quit]click-me[/]", "[/]", "[bold red]loud[/bold red]"]


def models_listed(app: object) -> int:
    screen = getattr(app, "screen", None)
    if not isinstance(screen, PresetPicker):
        return 0
    return sum(o.option_count for o in screen.query("#models").results(OptionList))


async def test_hostile_model_ids_and_errors_stay_text(home: Path, server: DemoServer) -> None:
    hostile = server.base_url.replace("/v1", "/hostile/v1")
    cfg = write_config(home, server, f'[presets.evil]\nbase_url = "{hostile}"\n')
    app = make_app(cfg, ProviderOptions(preset="a"), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        app.action_picker()
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#presets")))
        app.screen.query_one("#presets", OptionList).highlighted = list(cfg.presets).index("evil")
        await until(pilot, lambda: models_listed(app) == len(HOSTILE_MODEL_IDS))
        await pilot.pause()
        raw, text = terminal_output(app)
        assert_terminal_safe(raw)
        for literal in LITERAL:
            assert literal in text  # markup shown as written, never run or parsed
        assert "osc52-model" in text  # the text around the controls remains
        assert "rtlledom-model" in text
        box = app.screen.query_one("#models", OptionList)
        box.focus()
        box.highlighted = HOSTILE_MODEL_IDS.index("[/]")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, PresetPicker))
        assert app.session.options.model == "[/]"
        for model in HOSTILE_MODEL_IDS:
            app.session.choose("evil", model)
            app.chat.refresh_header()
            await send(pilot, f"try {clean_line(model)}")
            await settle(pilot)
            turn = app.chat.query(AssistantTurn).last()
            assert turn.reply.status == "error"
            assert "does not exist" in str(turn.note.render())
            await pilot.pause()
            raw, text = terminal_output(app)
            assert_terminal_safe(raw)
        for literal in ["[bold red]loud[/bold red]", "The model `[bold red]loud"]:
            assert literal in text
        await app.chat.action_new()
        await send(pilot, "a title with \x1b]0;pwned\x07 and [@click=app.quit]markup[/]")
        await settle(pilot)
        app.action_history()
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen)
                    and [o.option_count for o in app.screen.query(OptionList)] == [2])
        await pilot.pause()
        raw, text = terminal_output(app)
        assert_terminal_safe(raw)
        assert "a title with and [@click=app.quit]markup[/]" in text
        assert "[bold red]loud[/bold red]" in text
