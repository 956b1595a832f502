"""The palette's "Attach a file…": a tree of the folder reasonchat was started in; Enter on a file puts it
in the prompt as `@path` (sent with the next message), Escape goes back."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DirectoryTree, Static

from reasonchat.tui.screens.once import Modal


class AttachPicker(Modal[str | None]):
    DEFAULT_CSS = """
    AttachPicker { align: center middle; }
    AttachPicker > Vertical { width: 80%; height: 80%; background: $panel; border: round $accent; padding: 0 1; }
    AttachPicker DirectoryTree { height: 1fr; }
    AttachPicker .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Back")]

    def __init__(self, root: Path | None = None) -> None:
        super().__init__()
        self.root = root or Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Attach a file — Enter on a file attaches it · Escape goes back", classes="hint")
            yield DirectoryTree(self.root, id="files")

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        path = Path(event.path)
        try:
            shown = os.path.relpath(path, Path.cwd())
        except ValueError:  # (another drive)
            shown = str(path)
        self.dismiss(shown if not shown.startswith("..") else str(path))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
