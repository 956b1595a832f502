"""A tool call in words, for every place that shows one: `ask`'s stderr line, the TUI's call line and its
approval question, a reopened turn. All of it is untrusted text (the model wrote the arguments, a server the
result): cleaned of control sequences here, and folded so one call never floods a screen."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

from reasonchat.core.tool_calls import Call
from reasonchat.text.sanitize import clean, clean_line

FOLD = 200  # characters of one argument value shown before it is folded
RESULT_ROWS = 20  # lines of a result shown when its call is opened (the store keeps all of it)


def call_line(call: Call, limit: int = 160) -> str:
    """`server · tool(arguments)` on one line, cleaned and folded."""
    arguments = call.call.arguments
    with contextlib.suppress(ValueError):
        arguments = json.dumps(json.loads(arguments), ensure_ascii=False)
    where = f"{call.server} · {call.tool}" if call.server else call.call.name
    return clean_line(f"{where}({arguments})", limit)


def state_text(call: Call, now: float | None = None) -> str:
    """What has become of it: "waiting for approval", "running 1.2 s", "done 0.1 s · 84", "failed: …"."""
    if call.state == "waiting":
        return "waiting for approval — y once · a always · n no"
    if call.state == "running":
        started = call.started_at or time.monotonic()
        return f"running {max(0.0, (now or time.monotonic()) - started):.1f} s"
    seconds = f" {call.seconds:.1f} s" if call.seconds is not None else ""
    if call.state == "done":
        first = next((line for line in call.result.splitlines() if line.strip()), "")
        return f"done{seconds} · {clean_line(first, 80)}" if first else f"done{seconds}"
    if call.state == "failed":
        return f"failed{seconds}: {clean_line(call.error or call.result, 100)}"
    return "declined" if call.state == "declined" else "stopped"


def call_title(call: Call, now: float | None = None, limit: int = 90) -> str:
    return f"⚙ {call_line(call, limit)} — {state_text(call, now)}"


def pretty_arguments(arguments: str, fold: int = FOLD) -> str:
    """The arguments as indented JSON, each long string value folded ("…", with its length); as written when
    they are not JSON."""
    try:
        value = json.loads(arguments) if arguments.strip() else {}
    except ValueError:
        return clean(arguments)

    def folded(item: Any) -> Any:
        if isinstance(item, str) and len(item) > fold:
            return f"{item[:fold]}… ({len(item):,} characters)"
        if isinstance(item, dict):
            return {k: folded(v) for k, v in item.items()}
        if isinstance(item, list):
            return [folded(v) for v in item]
        return item

    return clean(json.dumps(folded(value), ensure_ascii=False, indent=2))


def result_shown(result: str, rows: int = RESULT_ROWS) -> str:
    """The result as the screen shows it: its first `rows` lines, then how many more there are."""
    lines = clean(result).splitlines()
    if len(lines) <= rows:
        return "\n".join(lines)
    return "\n".join([*lines[:rows], f"… {len(lines) - rows:,} more lines (the export has them all)"])


def details(call: Call) -> str:
    """The opened call: its full arguments and its result."""
    parts = [f"arguments:\n{pretty_arguments(call.call.arguments)}"]
    if call.result and call.state != "declined":
        parts.append(f"result:\n{result_shown(call.result)}")
    return "\n".join(parts)
