"""Make untrusted model text safe to show in a terminal.

Model output, model ids and provider error messages can carry escape sequences (colours, title changes,
OSC 52 clipboard writes, screen clears), BEL, C1 controls, carriage returns that overwrite a line, and
bidi overrides that reorder what the user reads. All of it is removed before text reaches a terminal;
newlines and tabs are kept. Whole escape sequences are dropped, not just their ESC byte, so no
`[31m` debris is left behind.
"""

from __future__ import annotations

import re
from functools import cache

# Sequences first (so their parameters go too), then any lone control character.
_SEQUENCE_PATTERN = (
    r"""
      \x1b\[ [0-?]* [ -/]* [@-~]?                 # CSI (ESC [ … final)
    | \x9b [0-?]* [ -/]* [@-~]?                   # 8-bit CSI
    | \x1b[\]PX^_] .*? (?:\x07|\x1b\\|\x9c|$)     # OSC / DCS / SOS / PM / APC … terminator
    | [\x90\x98\x9d\x9e\x9f] .*? (?:\x07|\x1b\\|\x9c|$)  # their 8-bit forms
    | \x1b [ -/]* [0-~]?                          # other ESC sequences (charset, keypad, RIS …)
    """
)


@cache
def _sequences() -> re.Pattern[str]:
    """Compiled the first time a text holds a control character at all (most never do)."""
    return re.compile(_SEQUENCE_PATTERN, re.VERBOSE | re.DOTALL)
# C0 except \t and \n, DEL, C1; bidi embeddings/overrides/isolates and marks; invisible separators.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """Return `text` without terminal control sequences or characters; fast when there are none."""
    if _CONTROLS.search(text) is None:
        return text
    text = text.replace("\r\n", "\n")
    return _CONTROLS.sub("", _sequences().sub("", text))


def clean_line(text: str, limit: int = 300) -> str:
    """One safe line for a message: controls removed, whitespace folded, long text cut with an ellipsis."""
    line = " ".join(clean(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
