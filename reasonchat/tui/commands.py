"""Every action in the command palette (ctrl+p), plus one entry per preset to switch to it directly."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from reasonchat.sanitize import clean_line

if TYPE_CHECKING:
    from reasonchat.tui.app import ReasonChatApp


def chat_commands(app: ReasonChatApp) -> Iterable[SystemCommand]:
    chat = app.chat
    yield SystemCommand("New conversation", "Start afresh (ctrl+n)", chat.action_new)
    yield SystemCommand("History", "Browse, search, open or delete conversations (ctrl+o)", app.action_history)
    yield SystemCommand("Switch preset or model", "Pick the provider and model (ctrl+k)", app.action_picker)
    yield SystemCommand("Toggle thinking", "Switch the model's thinking on or off", app.action_toggle_thinking)
    yield SystemCommand("Cycle reasoning display", "auto → expanded → collapsed → hidden (ctrl+t)",
                        chat.action_cycle_reasoning)
    yield SystemCommand("Export as Markdown", "Write this conversation to [ui] export_dir (ctrl+e)",
                        chat.action_export)
    yield SystemCommand("Regenerate last answer", "Ask the same question again (ctrl+r)", chat.action_regenerate)
    yield SystemCommand("Edit last message", "Edit your last message and resend it (Up)", chat.action_edit_last)
    yield SystemCommand("Stop answer", "Stop the answer in flight (Escape)", chat.action_stop)
    yield SystemCommand("Copy last answer", "Copy the last answer's Markdown to the clipboard",
                        app.action_copy_answer)
    yield SystemCommand("Copy last code block", "Copy the last code block of the last answer",
                        app.action_copy_code)
    yield SystemCommand("Help", "Every key (F1)", app.action_help)
    for name, preset in app.session.config.presets.items():
        model = clean_line(preset.model or "first served", 40)
        yield SystemCommand(f"Use preset: {name}", f"{model} — {clean_line(preset.description, 60)}",
                            partial(app.use_preset, name))
