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
import time
from pathlib import Path
from typing import Any

from reasonchat.atomic import write_atomically
from reasonchat.core.cost import format_amount
from reasonchat.store.transcripts import ConversationSummary, StoredMessage, TranscriptStore
from reasonchat.text.markdown import Structure, structure
from reasonchat.text.sanitize import clean, clean_line

JSON_SCHEMA = "reasonchat.conversation"
JSON_VERSION = 1

_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
# `<` that opens markup: a tag name ended by a space, `/` or `>` (`<b>`, `<br/>`, `<div class=…`), a closing tag,
# a comment or declaration (`<!`), an instruction (`<?`). "a<b" and "x <y, z" are comparisons, not tags.
_OPENS_TAG = re.compile(r"<(?=[A-Za-z][A-Za-z0-9-]*[\s/>]|/[A-Za-z]|[!?])")
_ENTITY = re.compile(r"&(#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")  # what a viewer decodes
_ATX = re.compile(r"^(?P<lead>[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?[ \t>]*)(?P<hashes>#{1,6})(?=[ \t]|$)")
_SETEXT_LINE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$")


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp))


def iso_time(timestamp: float) -> str:
    """A stored time as ISO 8601 in UTC (`2026-01-01T00:00:00Z`): the same on every machine."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(timestamp))


def escape_html(markdown: str) -> str:
    """Escape what would open HTML — a tag, a comment, an entity — outside code, so a viewer shows model text
    as text and never runs it; code (fenced, indented, inline) stays exactly as written. Everything else stays
    too: "0.11 < 0.80", "a<b" and "x && y" are not HTML, and escaping them made exports read wrong."""
    text = clean(markdown)
    return _escape(text, structure(text).code_lines)


def escape_line(text: str) -> str:
    """`escape_html` of a one-line field (a title, a preset or model name) written inside a line of the
    document, where no code block can start: only inline code stays as written."""
    return _escape(clean(text), set())


def _escape(text: str, code: set[int]) -> str:
    """`text` (cleaned) with HTML escaped outside the lines of `code` and outside inline code."""
    if "<" not in text and "&" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    for number, line in enumerate(lines):
        if number in code:
            out.append(line)
            continue
        pieces: list[str] = []
        last = 0
        for span in _INLINE_CODE.finditer(line):
            pieces.append(_escape_text(line[last : span.start()]))
            pieces.append(span.group(0))
            last = span.end()
        # A tag name at the end of a line may go on with attributes on the next: that is a tag too.
        pieces.append(_escape_text(line[last:] + "\n")[:-1] if number < len(lines) - 1 else _escape_text(line[last:]))
        out.append("".join(pieces))
    return "\n".join(out)


def _escape_text(text: str) -> str:
    return _OPENS_TAG.sub("&lt;", _ENTITY.sub(r"&amp;\1", text))


def model_markdown(text: str) -> str:
    """A message as it goes into a Markdown export: controls removed, HTML escaped outside code, math written
    with dollars, and its headings demoted two levels so the document's `## You` / `## Assistant` stay its
    outline."""
    text = clean(text)
    found = structure(text)
    return demote_headings(_escape(dollar_math(text, found.code_lines), found.code_lines), found)


_BRACKETS = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]")


def dollar_math(text: str, code: set[int]) -> str:
    """`\\( … \\)` as `$…$` and `\\[ … \\]` as `$$…$$` outside code (no space inside the delimiters): what
    GitHub, GitLab, Obsidian, Typora and VS Code render as math — they read `\\(` as an escaped parenthesis.
    Every line stays a line, so the line numbers of `code` still fit."""
    if "\\(" not in text and "\\[" not in text:
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if number in code:
            continue
        if line.strip() in ("\\[", "\\]"):  # DeepSeek's display math: the delimiters on lines of their own
            lines[number] = line.replace(line.strip(), "$$")
            continue
        pieces: list[str] = []
        last = 0
        for span in _INLINE_CODE.finditer(line):
            pieces += [_BRACKETS.sub(_dollars, line[last : span.start()]), span.group(0)]
            last = span.end()
        lines[number] = "".join([*pieces, _BRACKETS.sub(_dollars, line[last:])])
    return "\n".join(lines)


def _dollars(match: re.Match[str]) -> str:
    inline, display = match.groups()
    return f"${inline.strip()}$" if inline is not None else f"$${display.strip()}$$"


def demote_headings(text: str, found: Structure, by: int = 2) -> str:
    """Every heading of `text` (as `found` by the parser) `by` levels deeper, at most level 6: a model's own
    `# Title` becomes `### Title`, so it sits under a document's `## Assistant` instead of beside it. Setext
    headings (a line underlined with === or ---) become ATX headings of their new level. Escaping HTML first
    changes no line's number, so `found` still fits."""
    if not found.headings:
        return text
    lines = text.split("\n")
    changed = False
    for start, end, level, setext in found.headings:
        level = min(6, level + by)
        if setext:  # text lines, then the underline
            if end - start < 2 or not _SETEXT_LINE.match(lines[end - 1]):
                continue
            lead = re.match(r"^[ \t>]*", lines[start])
            prefix = lead.group(0) if lead else ""
            body = " ".join(line[len(prefix):].strip() for line in lines[start : end - 1])
            lines[start] = f"{prefix}{'#' * level} {body}"
            for index in range(start + 1, end):
                lines[index] = "\0"  # dropped below
            changed = True
        else:
            match = _ATX.match(lines[start])
            if match:
                lines[start] = match.group("lead") + "#" * level + lines[start][match.end():]
                changed = True
    if not changed:
        return text
    return "\n".join(line for line in lines if line != "\0")


def thought_summary(message: StoredMessage) -> str:
    """"Thought for 4.2 s · 135 reasoning tokens" (an estimate is marked with ~)."""
    parts = []
    if message.reasoning_seconds is not None:
        parts.append(f"Thought for {message.reasoning_seconds:.1f} s")
    else:
        parts.append("Reasoning")
    count = message.reasoning_count
    if count is not None:
        parts.append(f"{'' if count[1] else '~'}{count[0]} reasoning token{'' if count[0] == 1 else 's'}")
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
    if message.cost is not None and message.currency:
        bits.append(f"cost {format_amount(message.cost, message.currency)}")
    return f"<sub>tokens: {' · '.join(bits)}</sub>" if bits else ""


def _message_lines(message: StoredMessage, reasoning: bool) -> list[str]:
    if message.role == "system":
        return ["## System", "", model_markdown(message.content), ""]
    if message.role == "user":
        return ["## You", "", model_markdown(message.content), "", *_attachment_lines(message)]
    model = f" · {escape_line(message.model)}" if message.model else ""
    lines = [f"## Assistant{model}", ""]
    if reasoning and message.reasoning and not message.rounds:
        lines += [f"<details><summary>{thought_summary(message)}</summary>", "",
                  model_markdown(message.reasoning), "", "</details>", ""]
    lines += _round_lines(message, reasoning)
    if message.reasoning_cut:
        lines += ["*Reasoning cut short by the user: the model was asked to answer at once.*", ""]
    if message.content:
        lines += [model_markdown(message.content), ""]
    for extra in (_status_note(message), _usage_line(message)):
        if extra:
            lines += [extra, ""]
    return lines


def _attachment_lines(message: StoredMessage) -> list[str]:
    """The files sent with a message: a text file's whole text in a `<details>` block, an image by its name,
    type and size (the JSON export and the store have its bytes)."""
    lines: list[str] = []
    for attached in message.attachments:
        label = escape_html(f"📎 {attached.name} · {attached.mime} · {attached.size:,} bytes")
        if attached.kind == "image":
            lines += [f"*{label}*", ""]
        else:
            lines += [f"<details><summary>{label}</summary>", "", fence(attached.text), "", "</details>", ""]
    return lines


def _round_lines(message: StoredMessage, reasoning: bool) -> list[str]:
    """An answer's tool rounds: each round's reasoning, then each call with its arguments and result in a
    `<details>` block (the title says what was called and what came of it), then the final reasoning."""
    from reasonchat.tools.describe import call_line, pretty_arguments, state_text

    rounds = message.rounds
    if not rounds:
        return []
    lines: list[str] = []
    for done in rounds:
        if reasoning and done.reasoning:
            seconds = f" for {done.reasoning_seconds:.1f} s" if done.reasoning_seconds is not None else ""
            lines += [f"<details><summary>Thought{seconds}</summary>", "", model_markdown(done.reasoning), "",
                      "</details>", ""]
        if done.content.strip():
            lines += [model_markdown(done.content), ""]
        for call in done.calls:
            summary = escape_html(f"⚙ {call_line(call, 200)} — {state_text(call)}")
            lines += [f"<details><summary>{summary}</summary>", "", "Arguments:", "",
                      fence(pretty_arguments(call.call.arguments, fold=10**9), "json"), ""]
            if call.result and call.state != "declined":
                lines += ["Result:", "", fence(call.result), ""]
            lines += ["</details>", ""]
    if reasoning and message.reasoning:
        lines += [f"<details><summary>{thought_summary(message)}</summary>", "",
                  model_markdown(message.reasoning), "", "</details>", ""]
    return lines


def fence(text: str, info: str = "") -> str:
    """`text` in a code fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def to_markdown(conversation: ConversationSummary, messages: list[StoredMessage], *, reasoning: bool = True,
                branches: list[list[StoredMessage]] | None = None) -> str:
    """The conversation as it is shown (`messages`: its branch shown). With `branches` (every branch, the one
    shown first), each other branch follows, labelled, from where it leaves the ones before it."""
    title = escape_line(conversation.title or f"Conversation {conversation.id}")
    lines = [f"# {title}", "", f"*{escape_line(conversation.preset)} · {escape_line(conversation.model)} · "
             f"{_when(conversation.created_at)}*", ""]
    for message in messages:
        lines += _message_lines(message, reasoning)
    written: list[list[int]] = [[m.id for m in messages]]
    for number, branch in enumerate((branches or [])[1:], start=2):
        ids = [m.id for m in branch]
        shared = max(_common(ids, other) for other in written)
        after = branch[shared - 1] if shared else None
        where = (f"after “{escape_line(clean_line(after.content, 60))}”" if after is not None and after.content
                 else "from the start")
        lines += [f"## ⎇ Branch {number} of {len(branches or [])}", "",
                  f"*Another version of this conversation: it leaves the branches above {where}.*", ""]
        for message in branch[shared:]:
            lines += _message_lines(message, reasoning)
        written.append(ids)
    if conversation.cost is not None and conversation.currency:
        lines += ["---", "", f"*Cost of this conversation: {format_amount(conversation.cost, conversation.currency)}"
                  " (at the prices set when each answer was written).*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _common(a: list[int], b: list[int]) -> int:
    """How many ids two branches share from their start."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def to_json(conversation: ConversationSummary, messages: list[StoredMessage], *, reasoning: bool = True,
            branches: list[list[StoredMessage]] | None = None) -> str:
    """The branch shown as `messages`; with `branches`, every message of every branch, and `branches` lists
    each branch's message ids (the one shown first)."""
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
            "cost": {"amount": m.cost, "currency": m.currency} if m.cost is not None and m.currency else None,
            "reasoning_cut": m.reasoning_cut,
            "parent_id": m.parent_id,
            "reasoning_seconds": m.reasoning_seconds,
            "created_at": iso_time(m.created_at),
            "updated_at": iso_time(m.updated_at),
        }
        if m.attachments:  # (only there, as tool_rounds)
            record["attachments"] = [{"name": a.name, "kind": a.kind, "mime": a.mime, "size": a.size,
                                      "sha256": a.sha256, "text": a.text if a.kind == "text" else None}
                                     for a in m.attachments]
        if m.rounds:  # (only there: the export of a conversation without tools is as it was)
            record["tool_rounds"] = _rounds_record(m, reasoning)
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
    if branches:
        every = {m.id: m for branch in branches for m in branch}
        document["messages"] = [message_record(every[i]) for i in sorted(every)]
        document["branches"] = [[m.id for m in branch] for branch in branches]
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _rounds_record(message: StoredMessage, reasoning: bool) -> list[dict[str, Any]] | None:
    """An answer's tool rounds: what each thought and wrote, its calls and what came of them, and `messages`,
    the round exactly as it was sent back to the provider (the assistant message with its `tool_calls`, then
    one `tool` message per call)."""
    if not message.rounds:
        return None
    out = []
    for done in message.rounds:
        sent = done.wire(keep_reasoning=reasoning)
        out.append({"reasoning": done.reasoning if reasoning else None, "content": done.content,
                    "reasoning_seconds": done.reasoning_seconds,
                    "calls": [{**call.record(), "state": call.state, "seconds": call.seconds, "id": call.call.id}
                              for call in done.calls],
                    "messages": sent})
    return out


def write_markdown(store: TranscriptStore, conversation_id: int, folder: Path) -> Path:
    """Export a stored conversation into `folder` as `reasonchat-ID-title-slug.md` (written atomically);
    returns the path. OSError when the folder cannot be written."""
    summary = store.require(conversation_id)
    slug = re.sub(r"[^\w-]+", "-", summary.title.lower(), flags=re.UNICODE).strip("-")[:40] or "conversation"
    path = folder / f"reasonchat-{conversation_id}-{slug}.md"
    write_atomically(path, to_markdown(summary, store.messages(conversation_id)))
    return path
