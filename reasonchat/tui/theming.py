"""The app's look: `[ui] theme` (else the one last chosen in the palette, else Textual's own), and what a change
of theme or of the math display redraws — answers already on screen are Rich renderables, drawn once."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from textual.theme import Theme

from reasonchat.tui.notice import tell

if TYPE_CHECKING:
    from textual.app import App

    from reasonchat.tui.session import ChatSession


class Theming:
    def __init__(self, app: App[None], session: ChatSession) -> None:
        self.app = app
        self.session = session
        self._code_theme_pushed = False

    def apply(self, remembered: str) -> None:
        """`[ui] theme` if set, else `remembered` (state.toml), else Textual's own; an unknown name is said,
        with the nearest one. A theme chosen later in the palette is remembered."""
        app = self.app
        wanted = self.session.config.ui.theme or remembered
        if wanted and wanted in app.available_themes:
            app.theme = wanted
        elif wanted:
            close = difflib.get_close_matches(wanted, list(app.available_themes), n=1)
            hint = f" — did you mean '{close[0]}'?" if close else ""
            tell(app, f"Unknown theme '{wanted}'{hint} (ctrl+p, Theme lists them)", severity="warning", timeout=10)
        app.theme_changed_signal.subscribe(app, self._changed)
        self._style_inline_code()

    def _changed(self, theme: Theme) -> None:
        self.session.remember_theme(theme.name)
        self._style_inline_code()
        self.draw_again()

    def draw_again(self) -> None:
        """Answers and reasonings already drawn are drawn again (in a new theme, or with math shown anew)."""
        from reasonchat.tui.lazy_lines import LazyLines
        from reasonchat.tui.widgets.reasoning_block import ReasoningBlock

        for screen in self.app.screen_stack:
            for widget in screen.query(LazyLines):
                widget.changed()
            for block in screen.query(ReasoningBlock):
                block.redraw()

    def _style_inline_code(self) -> None:
        """Answers are rendered by Rich (on the render thread) with the app's console: its inline code in the
        colours the live block uses in this theme (inline_code.py)."""
        from rich.theme import Theme as RichTheme

        from reasonchat.tui.inline_code import inline_code_style

        console = self.app.console
        if self._code_theme_pushed:
            console.pop_theme()
        style = inline_code_style(self.app.get_css_variables(), self.app.current_theme.dark)
        console.push_theme(RichTheme({"markdown.code": style}))
        self._code_theme_pushed = True
