"""Export a stored conversation as Markdown (for people) or JSON (for programs).

Both are deterministic for the same stored conversation: times come from the store and are written in
UTC, keys are sorted, nothing depends on the clock or the machine. Markdown keeps the model's Markdown as
it came (code fences intact) but escapes raw HTML outside code, so a viewer never runs model-written HTML
and a `</details>` in the reasoning cannot break the page. The JSON schema is documented in
docs/export-json.md and versioned by `"version"`.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from reasonchat.sanitize import clean
from reasonchat.store.transcripts import ConversationSummary, StoredMessage

JSON_SCHEMA = "reasonchat.conversation"
JSON_VERSION = 1

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def iso_time(timestamp: float) -> str:
    """A stored time as ISO 8601 in UTC (`2026-01-01T00:00:00Z`): the same on every machine."""
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def escape_html(markdown: str) -> str:
    """Escape `<` and `&` outside fenced and inline code, so HTML shows as text but code stays intact."""
    out: list[str] = []
    fence: str | None = None
    for line in clean(markdown).split("\n"):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if match:
            fence = match.group(1)
            out.append(line)
            continue
        pieces: list[str] = []
        last = 0
        for code in _INLINE_CODE.finditer(line):
            pieces.append(_escape_text(line[last : code.start()]))
            pieces.append(code.group(0))
            last = code.end()
        pieces.append(_escape_text(line[last:]))
        out.append("".join(pieces))
    return "\n".join(out)


def _escape_text(text: str) -> str:
    return re.sub(r"&(?![#\w]+;)", "&amp;", text).replace("<", "&lt;")


def thought_summary(message: StoredMessage) -> str:
    """"Thought for 4.2 s · 135 reasoning tokens" (an estimate is marked with ~)."""
    parts = []
    if message.reasoning_seconds is not None:
        parts.append(f"Thought for {message.reasoning_seconds:.1f} s")
    else:
        parts.append("Reasoning")
    if message.reasoning_tokens is not None:
        parts.append(f"{message.reasoning_tokens} reasoning tokens")
    elif message.reasoning:
        parts.append(f"~{max(1, round(len(message.reasoning) / 4))} reasoning tokens")
    return " · ".join(parts)


def _status_note(message: StoredMessage) -> str:
    if message.status == "stopped":
        return "*Stopped by the user — the answer is incomplete.*"
    if message.status == "interrupted":
        return f"*Interrupted — the answer is incomplete: {clean(message.error or 'the stream broke off')}.*"
    if message.status == "error":
        return f"*Error: {clean(message.error or 'the request failed')}.*"
    if message.status == "streaming":
        return "*Still streaming when exported.*"
    if message.finish_reason == "length":
        return "*Cut at the max tokens limit.*"
    return ""


def _usage_line(message: StoredMessage) -> str:
    bits = []
    if message.prompt_tokens is not None:
        bits.append(f"{message.prompt_tokens} prompt")
    if message.completion_tokens is not None:
        extra = f" ({message.reasoning_tokens} reasoning)" if message.reasoning_tokens is not None else ""
        bits.append(f"{message.completion_tokens} completion{extra}")
    if message.cached_tokens:
        bits.append(f"{message.cached_tokens} cached")
    if message.ttft is not None:
        bits.append(f"first token {message.ttft:.1f} s")
    return f"<sub>tokens: {' · '.join(bits)}</sub>" if bits else ""


def to_markdown(conversation: ConversationSummary, messages: list[StoredMessage], *, reasoning: bool = True) -> str:
    title = escape_html(conversation.title or f"Conversation {conversation.id}")
    lines = [f"# {title}", "", f"*{escape_html(conversation.preset)} · {escape_html(conversation.model)} · "
             f"{_when(conversation.created_at)}*", ""]
    for message in messages:
        if message.role == "system":
            lines += ["## System", "", escape_html(message.content), ""]
        elif message.role == "user":
            lines += ["## You", "", escape_html(message.content), ""]
        else:
            model = f" · {escape_html(message.model)}" if message.model else ""
            lines += [f"## Assistant{model}", ""]
            if reasoning and message.reasoning:
                lines += [f"<details><summary>{thought_summary(message)}</summary>", "",
                          escape_html(message.reasoning), "", "</details>", ""]
            if message.content:
                lines += [escape_html(message.content), ""]
            for extra in (_status_note(message), _usage_line(message)):
                if extra:
                    lines += [extra, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(conversation: ConversationSummary, messages: list[StoredMessage], *, reasoning: bool = True) -> str:
    def message_record(m: StoredMessage) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": m.id,
            "role": m.role,
            "content": m.content,
            "reasoning": m.reasoning if reasoning else None,
            "model": m.model,
            "preset": m.preset,
            "status": m.status,
            "finish_reason": m.finish_reason,
            "error": m.error,
            "usage": {
                "prompt_tokens": m.prompt_tokens,
                "completion_tokens": m.completion_tokens,
                "reasoning_tokens": m.reasoning_tokens,
                "cached_tokens": m.cached_tokens,
                "raw": m.usage,
            } if m.role == "assistant" else None,
            "ttft_seconds": m.ttft,
            "reasoning_seconds": m.reasoning_seconds,
            "created_at": iso_time(m.created_at),
            "updated_at": iso_time(m.updated_at),
        }
        return record

    document = {
        "schema": JSON_SCHEMA,
        "version": JSON_VERSION,
        "id": conversation.id,
        "title": conversation.title,
        "preset": conversation.preset,
        "model": conversation.model,
        "created_at": iso_time(conversation.created_at),
        "updated_at": iso_time(conversation.updated_at),
        "messages": [message_record(m) for m in messages],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
