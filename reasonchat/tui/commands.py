"""Every action in the command palette (ctrl+p), plus one entry per preset to switch to it directly.

Textual reads a command's title and help as markup: both are escaped here, so "[ui] export_dir" or a
preset description with brackets shows as written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.markup import escape

from reasonchat.text.sanitize import clean_line

if TYPE_CHECKING:
    from reasonchat.tui.app import ReasonChatApp


def _command(title: str, help_text: str, action: Callable[[], Any]) -> SystemCommand:
    return SystemCommand(escape(title), escape(help_text), action)


def chat_commands(app: ReasonChatApp) -> Iterable[SystemCommand]:
    chat = app.chat
    yield _command("New conversation", "Start afresh (ctrl+n)", chat.action_new)
    yield _command("History", "Browse, search, open or delete conversations (ctrl+o)", app.action_history)
    yield _command("Switch preset or model", "Pick the provider and model, thinking on or off (ctrl+k)",
                   app.action_picker)
    yield _command("Compare models", "One question to 2 or 3 providers side by side (F2)", app.action_compare)
    yield _command("Toggle thinking", "Switch the model's thinking on or off", app.action_toggle_thinking)
    yield _command("Cycle effort", "How hard the model thinks: preset's own → low → medium → high → max (ctrl+g)",
                   app.action_cycle_effort)
    yield _command("Answer now", "While the model thinks: stop the thinking and answer from it (ctrl+f)",
                   chat.action_answer_now)
    yield _command("Cycle reasoning display", "auto → expanded → collapsed → hidden (ctrl+t)",
                   chat.action_cycle_reasoning)
    yield _command("Export as Markdown", "Write this conversation to [ui] export_dir (ctrl+e)", chat.action_export)
    yield _command("Regenerate last answer", "Ask the same question again (ctrl+r)", chat.action_regenerate)
    yield _command("Edit last message", "Edit your last message; Enter replaces that exchange (Up)",
                   chat.action_edit_last)
    yield _command("Previous version", "The previous version of the last regenerated answer or edited question "
                   "(alt+←)", partial(chat.action_switch_version, -1))
    yield _command("Next version", "The next version (alt+→)",
                   partial(chat.action_switch_version, 1))
    yield _command("Stop answer", "Stop the answer in flight (Escape)", chat.action_stop)
    yield _command("Copy last answer", "The last answer's Markdown to the clipboard (ctrl+y)", app.action_copy_answer)
    yield _command("Copy reasoning", "The last answer's reasoning to the clipboard", app.action_copy_reasoning)
    yield _command("Copy this turn as Markdown", "Your last message and its answer, as an export writes them",
                   app.action_copy_turn)
    yield _command("Copy last code block", "The last code block of the last answer", app.action_copy_code)
    yield _command("Scroll to the top", "The start of the conversation (ctrl+home; PageUp pages up)",
                   partial(chat.action_scroll_edge, 0))
    yield _command("Scroll to the end", "The latest message (ctrl+end; PageDown pages down)",
                   partial(chat.action_scroll_edge, 1))
    yield _command("Help", "Every key (F1)", app.action_help)
    for name, role in app.session.config.roles.items():
        yield _command(f"Use role: {name}", clean_line(role.system, 80), partial(app.use_role, name))
    for name, preset in app.session.config.presets.items():
        model = clean_line(preset.model or "first served", 40)
        yield _command(f"Use preset: {name}", f"{model} — {clean_line(preset.description, 60)}",
                       partial(app.use_preset, name))
