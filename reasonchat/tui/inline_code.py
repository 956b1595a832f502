"""Inline code in answers drawn by Rich (settled blocks, stored turns) in the colours Textual's Markdown gives it
in the theme (the live block), so a block looks the same streaming and settled: the app's console is given
this style as Rich's `markdown.code` whenever the theme changes."""

from __future__ import annotations

from rich.style import Style
from textual.color import Color


def inline_code_style(variables: dict[str, str], dark: bool) -> Style:
    """How inline code looks in the theme with these CSS variables: what Textual's own Markdown (the live block)
    draws it with — the theme's warning colour in a dark theme, its error colour in a light one, on a faint
    wash of it — so a settled block shows inline code as it showed while streaming (Rich's own is bold cyan on
    black: a black box in a light theme)."""
    background = Color.parse(variables.get("background", "#000000"))
    tint, text = ("warning", "text-warning") if dark else ("error", "text-error")
    wash = background.blend(Color.parse(variables.get(tint, "#808080")), 0.10 if dark else 0.05)
    ink = wash.blend(Color.parse(variables.get(text, variables.get("foreground", "#ffffff"))), 0.95)
    return Style(color=ink.rich_color, bgcolor=wash.rich_color)
