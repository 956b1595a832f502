"""A finished answer: its whole Markdown as one static renderable.

A live `Markdown` widget is a tree of block widgets (every paragraph, table cell and code fence), and
layout work grows with every one of them; ten long answers left on screen that way slow a new stream
several-fold, and re-rendering a long answer as a fresh tree took seconds. One Rich renderable per
finished answer costs one widget. Links are shown with their target (`hyperlinks=False`) so a label
can never hide where it points.
"""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Static

from reasonchat.sanitize import clean


class FinalAnswer(Static):
    DEFAULT_CSS = """
    FinalAnswer { padding: 0 1; margin: 1 0 0 0; height: auto; }
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.shown = clean(text)  # what is rendered: the text without terminal controls
        super().__init__(RichMarkdown(self.shown, code_theme="monokai", hyperlinks=False))
