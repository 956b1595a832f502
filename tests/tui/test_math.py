"""Math in the TUI: an answer in LaTeX streams in and reads as math — in the answer, in the reasoning (live
and expanded), reopened from history; the palette shows it as written and back; copying gives the LaTeX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasonchat.text import math
from tests.tui.conftest import send, settle, terminal_output, until

SIZE = (110, 60)


@pytest.fixture(autouse=True)
def unicode_mode() -> Any:
    yield
    math.set_mode("unicode")  # the mode is the whole app's: a test that switched it leaves it as it found it


async def test_a_math_answer_and_its_reasoning_read_as_math_and_copy_as_latex(app_for: Any, home: Path,
                                                                             tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no clipboard tool: the copy goes to clipboard.txt
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    app = app_for(model="math-deepseek")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")  # the reasoning display: expanded
        await send(pilot, "solve x^2 - 5x + 6 = 0")
        await settle(pilot)
        await until(pilot, lambda: "Final Answer" in terminal_output(app)[1])
        shown = terminal_output(app)[1]
        assert "To solve x² - 5x + 6 = 0, factor the left side:" in shown  # the answer
        assert "Δ = b² - 4ac = 25 - 24 = 1" in shown  # the reasoning, expanded
        assert "⟦ x = 2 or x = 3 ⟧" in shown
        assert "\\(" not in shown and "\\frac" not in shown

        await pilot.press("ctrl+y")  # copied as the model wrote it
        await until(pilot, lambda: (home / "clipboard.txt").exists())
        copied = (home / "clipboard.txt").read_text(encoding="utf-8")
        assert "\\( x^2 - 5x + 6 = 0 \\)" in copied and "\\boxed{x = 2 \\text{ or } x = 3}" in copied

        app.action_toggle_math()  # the palette's "Math: Unicode or LaTeX source"
        await until(pilot, lambda: "\\( x^2 - 5x + 6 = 0 \\)" in terminal_output(app)[1])
        shown = terminal_output(app)[1]
        assert "To solve \\( x^2 - 5x + 6 = 0 \\), factor" in shown  # as written, backslashes and all
        assert "\\boxed{x = 2 \\text{ or } x = 3}" in shown
        assert "Math shown as LaTeX source" in app.chat.status.text
        app.action_toggle_math()
        await until(pilot, lambda: "To solve x² - 5x + 6 = 0" in terminal_output(app)[1])

        await app.chat.open_conversation(app.session.conversation_id)  # reopened from the store: the same
        await until(pilot, lambda: "To solve x² - 5x + 6 = 0" in terminal_output(app)[1])


async def test_the_math_mode_comes_from_the_config(home: Path, server: Any) -> None:
    from reasonchat import config
    from reasonchat.providers import ProviderOptions
    from reasonchat.tui.app import make_app

    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[ui]\nmath = "source"\n[presets.a]\nbase_url = "{server.base_url}"\n'
                                      'model = "math-qwen"\n', encoding="utf-8")
    app = make_app(config.load(home / "config.toml"), ProviderOptions(preset="a"), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "sum")
        await settle(pilot)
        await until(pilot, lambda: "$\\boxed{n^2}$" in terminal_output(app)[1])
        assert "The sum of the first $n$ odd numbers is $n^2$" in terminal_output(app)[1]


async def test_compare_columns_read_their_math_as_math(home: Path, server: Any) -> None:
    from reasonchat.providers import ProviderOptions
    from reasonchat.tui.app import make_app
    from reasonchat.tui.screens.compare import CompareScreen
    from reasonchat.tui.widgets.prompt import PromptInput
    from tests.tui.conftest import write_config

    extra = (f'[presets.c]\nbase_url = "{server.base_url}"\nmodel = "math-deepseek"\n'
             f'[presets.d]\nbase_url = "{server.base_url}"\nmodel = "math-qwen"\n')
    app = make_app(write_config(home, server, extra), ProviderOptions(preset="c"), remember=False)
    async with app.run_test(size=(140, 60)) as pilot:
        app.action_compare([ProviderOptions(preset="c"), ProviderOptions(preset="d")])
        await until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.checked)
        app.screen.query_one(PromptInput).text = "solve it"
        await pilot.press("enter")
        await until(pilot, lambda: "⟦ x = 2 or x = 3 ⟧" in terminal_output(app)[1]
                    and "⟦ n² ⟧" in terminal_output(app)[1], timeout=20)
        shown = terminal_output(app)[1]
        assert "x² - 5x + 6 = 0" in shown and "α + β + γ = 180°" in shown and "\\boxed" not in shown
