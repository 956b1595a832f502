"""Themes: Textual's own, chosen from the palette and remembered, or set in the config; the reasoning stays
dimmed but readable in every one of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.theme import BUILTIN_THEMES

from reasonchat import state
from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.tui.app import make_app
from reasonchat.tui.widgets.stored_turn import StoredTurn
from tests.tui.conftest import screen_up, send, settle, until, write_config

SIZE = (100, 30)


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(style: Any) -> float:
    """WCAG contrast of a Rich style's colour on its background."""
    fg, bg = luminance(style.color.get_truecolor()), luminance(style.bgcolor.get_truecolor())
    return (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05)


async def test_reasoning_is_dimmed_not_invisible_in_every_theme(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot)
        await app.chat.open_conversation(app.session.conversation_id)
        turn = app.chat.query_one(StoredTurn)
        checked = []
        for name in BUILTIN_THEMES:
            if name.startswith("ansi-"):  # the terminal's own palette: its colours are not ours to know
                continue
            app.theme = name
            await pilot.pause()
            style = turn.get_component_rich_style("stored-turn--reasoning")
            # readable (WCAG's 3:1 for large text at least), and set apart from the answer: italic in the
            # theme's muted colour (muted is the theme's choice: in solarized-light it is darker than the text)
            assert contrast(style) >= 3.0, (name, contrast(style))
            assert style.italic and style.color != turn.rich_style.color, name
            checked.append(name)
        assert len(checked) >= 15 and {"textual-light", "textual-dark", "solarized-light"} <= set(checked)


async def test_the_config_theme_applies_and_a_wrong_one_is_said(home: Path, server: DemoServer) -> None:
    cfg = write_config(home, server, extra="")
    text = (home / "config.toml").read_text(encoding="utf-8").replace("[ui]\n", '[ui]\ntheme = "nord"\n')
    (home / "config.toml").write_text(text, encoding="utf-8")
    from reasonchat import config

    app = make_app(config.load(home / "config.toml"), ProviderOptions(preset="a"), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
    (home / "config.toml").write_text(text.replace('"nord"', '"nrod"'), encoding="utf-8")
    with pytest.raises(config.ConfigError, match=r"ui\.theme 'nrod' is not a theme — did you mean 'nord'"):
        config.load(home / "config.toml")  # as `config check` says it, before any screen
    assert cfg is not None


async def test_a_remembered_theme_that_is_gone_is_said(home: Path, server: DemoServer) -> None:
    cfg = write_config(home, server)
    state.save_state(state.State(theme="nrod"))  # (a theme of an earlier Textual)
    app = make_app(cfg, ProviderOptions(preset="a"), remember=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any("did you mean 'nord'" in n.message for n in app._notifications))
        assert app.theme == "textual-dark"


def test_config_knows_textuals_themes() -> None:
    from reasonchat.config import THEMES

    assert set(THEMES) == set(BUILTIN_THEMES)


async def test_a_theme_chosen_in_the_palette_is_remembered(home: Path, server: DemoServer) -> None:
    cfg = write_config(home, server)
    app = make_app(cfg, ProviderOptions(preset="a"), remember=True)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "gruvbox"  # what the palette's Theme command does
        await until(pilot, lambda: state.load_state().theme == "gruvbox")
    again = make_app(cfg, ProviderOptions(preset="a"), remember=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "gruvbox"


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
def test_snapshot_of_reasoning_in_a_light_and_a_dark_theme(snap_compare: Any, home: Path, server: DemoServer,
                                                          theme: str) -> None:
    from tests.tui.test_snapshots import opened, seeded_app

    app, conversation = seeded_app(home, server)

    async def run_before(pilot: Any) -> None:
        pilot.app.theme = theme
        await opened(conversation, "ctrl+t")(pilot)

    assert snap_compare(app, terminal_size=(100, 34), run_before=run_before)


async def test_keys_can_be_moved_in_the_config_and_f1_and_the_key_bar_follow(home: Path, server: DemoServer) -> None:
    from textual.widgets import Footer, Markdown

    from reasonchat import config
    from reasonchat.tui.screens.help import HelpScreen

    write_config(home, server)
    text = (home / "config.toml").read_text(encoding="utf-8")
    (home / "config.toml").write_text(text + '\n[keys]\nnew = "f5"\neffort = "f6,ctrl+g"\n', encoding="utf-8")
    app = make_app(config.load(home / "config.toml"), ProviderOptions(preset="a"), remember=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await send(pilot, "hello")
        await settle(pilot)
        assert app.session.conversation_id is not None
        await pilot.press("ctrl+n")  # no longer "new": the prompt's own (nothing happens to the conversation)
        await pilot.pause()
        assert app.session.conversation_id is not None
        await pilot.press("f5")
        await pilot.pause()
        assert app.session.conversation_id is None
        await pilot.press("f6")
        await pilot.pause()
        assert app.session.effort == "low"
        footer = app.chat.query_one(Footer)
        await until(pilot, lambda: any("f5" in str(k.render()).lower() or "F5" in str(k.render())
                                       for k in footer.query("FooterKey")))
        await pilot.press("f1")
        await screen_up(pilot, HelpScreen)
        shown = app.screen.query_one(Markdown).source
        assert "| **f5** | new conversation | new |" in shown
        assert "| **f6 / ctrl+g** |" in shown
        assert "| **ctrl+n** |" not in shown


def test_unknown_key_names_are_refused_with_the_nearest(tmp_path: Path) -> None:
    from reasonchat import config
    from reasonchat.errors import ConfigError

    path = tmp_path / "c.toml"
    path.write_text('[keys]\nregenrate = "f5"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown action 'regenrate' — did you mean 'regenerate'"):
        config.load(path)
    path.write_text('[keys]\nregenerate = 5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="regenerate must be a key like"):
        config.load(path)


async def test_inline_code_is_drawn_as_the_live_block_draws_it_in_every_theme(app_for: Any) -> None:
    """A settled block's inline code takes the colours Textual's own Markdown (the live block) gives it in the
    theme — not Rich's bold cyan on black, a black box in a light theme — and stays readable."""
    from textual.widgets import Markdown

    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        live = Markdown("a `code` span")
        await app.chat.conversation.mount(live)
        await pilot.pause()
        for name in BUILTIN_THEMES:
            if name.startswith("ansi-"):
                continue
            app.theme = name
            await pilot.pause()
            ours = app.console.get_style("markdown.code")
            block = live.query_one("MarkdownParagraph")
            theirs = block.get_component_rich_style("code_inline")
            assert ours.color == theirs.color and ours.bgcolor == theirs.bgcolor, name
            assert contrast(ours) >= 3.0, (name, contrast(ours))
