"""Every action in the command palette (ctrl+p), plus one entry per role and per preset.

An entry names its action as a key binding does (`app.history` for the app's, `new` for the chat screen's),
and the key that runs it by its name in `[keys]` (reasonchat/keys.py), so the palette says the key in effect.
The app runs the action (`App.run_action`): this table knows nothing of the app or its screens.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from reasonchat.config import Config
from reasonchat.keys import ACTIONS, effective
from reasonchat.text.sanitize import clean_line


class Entry(NamedTuple):
    title: str
    help: str
    action: str  # "app.NAME(…)" runs on the app, anything else on the chat screen
    key: str = ""  # the [keys] name of the key that runs it, if one does


ENTRIES = (
    Entry("New conversation", "Start afresh", "new", "new"),
    Entry("History", "Browse, search, open or delete conversations", "app.history", "history"),
    Entry("Switch preset or model", "Pick the provider and model, thinking on or off", "app.picker", "picker"),
    Entry("Compare models", "One question to 2 or 3 providers side by side", "app.compare", "compare"),
    Entry("Toggle thinking", "Switch the model's thinking on or off", "app.toggle_thinking", "thinking"),
    Entry("Math: Unicode or LaTeX source", "Draw math as x², a/b, ⟦ … ⟧ — or show it as the model wrote it",
          "app.toggle_math", "math"),
    Entry("Attach a file…", "Pick a file to send with the next message (or type @path in the prompt)",
          "app.attach_file"),
    Entry("Tools on or off", "Offer the MCP servers' tools in this conversation, or not", "app.toggle_tools", "tools"),
    Entry("Cycle effort", "How hard the model thinks: preset's own → low → medium → high → max",
          "app.cycle_effort", "effort"),
    Entry("Answer now", "While the model thinks: stop the thinking and answer from it", "answer_now", "answer_now"),
    Entry("Cycle reasoning display", "auto → expanded → collapsed → hidden", "cycle_reasoning",
          "reasoning_display"),
    Entry("Export as Markdown", "Write this conversation to [ui] export_dir", "export", "export"),
    Entry("Regenerate last answer", "Ask the same question again; the earlier answer stays as a version",
          "regenerate", "regenerate"),
    Entry("Edit last message", "Edit your last message; Enter sends it as a new version (Up in an empty prompt)",
          "edit_last"),
    Entry("Previous version", "The previous version of a message: the focused one, else the last with versions",
          "switch_version(-1)", "older_version"),
    Entry("Next version", "The next version of a message: the focused one, else the last with versions",
          "switch_version(1)", "newer_version"),
    Entry("Stop answer", "Stop the answer in flight", "stop", "stop"),
    Entry("Copy last answer", "The last answer's Markdown to the clipboard", "app.copy_answer", "copy_answer"),
    Entry("Copy reasoning", "The last answer's reasoning to the clipboard", "app.copy_reasoning"),
    Entry("Copy this turn as Markdown", "Your last message and its answer, as an export writes them",
          "app.copy_turn"),
    Entry("Copy last code block", "The last code block of the last answer", "app.copy_code"),
    Entry("Scroll to the top", "The start of the conversation (PageUp pages up)", "scroll_edge(0)", "top"),
    Entry("Scroll to the end", "The latest message (PageDown pages down)", "scroll_edge(1)", "bottom"),
    Entry("Help", "Every key", "app.help", "help"),
)


def entries(config: Config) -> Iterator[Entry]:
    """The palette's entries for this config: each help says the key in effect; then the roles and presets."""
    for entry in ENTRIES:
        yield entry._replace(help=with_key(entry.help, entry.key, config.keys))
    for name, role in config.roles.items():
        yield Entry(f"Use role: {name}", clean_line(role.system, 80), f"app.use_role({name!r})")
    for name, preset in config.presets.items():
        model = clean_line(preset.model or "first served", 40)
        yield Entry(f"Use preset: {name}", f"{model} — {clean_line(preset.description, 60)}",
                    f"app.use_preset({name!r})")


def with_key(text: str, key: str, keys: Mapping[str, str]) -> str:
    return f"{text} ({effective(keys, key).replace(',', ' or ')})" if key in ACTIONS else text
