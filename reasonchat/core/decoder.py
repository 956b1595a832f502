"""Decode an OpenAI-compatible server-sent event stream into `StreamEvent`s.

This is the one hand-rolled part of the HTTP path, kept because the SDK's typed chunk objects cost about
100 µs a chunk: bytes come from the SDK's streaming response, `LineSplitter` cuts them into lines, and
`StreamDecoder` turns those into events with `json.loads` and a few dict look-ups. It knows every wire
shape in PROVIDERS.md:

* reasoning in `reasoning_content`, else `reasoning`, else inline `<think>` tags in `content`;
* "no text" as a missing key, `null` or `""`; `choices: []` usage-only chunks; running usage totals
  (the last one seen wins);
* SSE comments (`: keep-alive`), `event:`/`id:`/`retry:` fields, `data:` split over several lines;
* errors as `data: {"error": …}`, `event: error`, or the non-standard `error: {…}` line;
* `tool_calls` fragments merged by index (`CallAssembler`), given as one `ToolCalls` before `Finished`;
* a stream that ends without a `finish_reason` is interrupted, not finished.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from reasonchat.core.events import (
    AnswerDelta,
    Finished,
    ReasoningDelta,
    StreamEvent,
    StreamFailed,
    ToolCalls,
    Usage,
)
from reasonchat.core.reasoning import ThinkTagSplitter
from reasonchat.core.tool_calls import CallAssembler
from reasonchat.text.sanitize import clean_line


def error_message(payload: Any) -> str:
    """The human part of a provider's error object, whatever its nesting (`{"error": {"message": …}}`)."""
    if isinstance(payload, dict):
        inner = payload.get("error", payload)
        if isinstance(inner, dict):
            for key in ("message", "msg", "detail", "error_msg"):
                value = inner.get(key)
                if isinstance(value, str) and value.strip():
                    return clean_line(value)
            code = inner.get("code") or inner.get("type")
            if code:
                return clean_line(str(code))
        elif isinstance(inner, str) and inner.strip():
            return clean_line(inner)
    if isinstance(payload, str) and payload.strip():
        return clean_line(payload)
    return "unknown error"


_LINE_END = re.compile("\r\n|\r|\n")


class LineSplitter:
    """The bytes of an event stream, cut anywhere (even inside a UTF-8 character), as its lines.

    SSE lines end with CRLF, LF or CR; nothing else ends one (`str.splitlines` would also cut at U+2028,
    which JSON allows raw inside a string). Invalid UTF-8 becomes U+FFFD rather than failing the stream."""

    __slots__ = ("_decoder", "_pending")

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # the line still being received (and a CR that may be half of a CRLF)

    def feed(self, data: bytes) -> list[str]:
        text = self._pending + self._decoder.decode(data)
        if "\r" not in text:
            lines = text.split("\n")
            self._pending = lines.pop()
            return lines
        held = "\r" if text.endswith("\r") else ""  # its LF may come in the next read
        lines = _LINE_END.split(text[:-1] if held else text)
        self._pending = lines.pop() + held
        return lines

    def finish(self) -> list[str]:
        """The last line, if the body did not end with a line ending."""
        text, self._pending = self._pending + self._decoder.decode(b"", final=True), ""
        lines = _LINE_END.split(text)
        return lines if lines[-1] else lines[:-1]


class StreamDecoder:
    """Feed it each line of the response body with `feed_line`, then call `finish` once."""

    __slots__ = (
        "_calls",
        "_data",
        "_event",
        "_failed",
        "_field_seen",
        "_first_other",
        "_splitter",
        "chunks",
        "finish_reason",
        "model",
        "usage",
    )

    def __init__(self) -> None:
        self._data: list[str] = []  # `data:` lines of an event that did not parse on its own
        self._event = ""  # the current event's `event:` field
        self._splitter: ThinkTagSplitter | None = None
        self._calls = CallAssembler()
        self._field_seen = False  # a reasoning field has carried text: content is then all answer
        self._failed: StreamFailed | None = None
        self._first_other = ""  # first non-SSE line, to explain a body that is not an event stream
        self.chunks = 0
        self.finish_reason: str | None = None
        self.model: str | None = None
        self.usage: dict[str, Any] | None = None

    @property
    def failed(self) -> StreamFailed | None:
        return self._failed

    def feed_line(self, line: str) -> list[StreamEvent]:
        """Decode one line (without its line ending). Returns the events it completes."""
        if line.startswith("data:"):
            payload = line[6:] if line.startswith("data: ") else line[5:]
            if not self._data and self._event != "error":
                if payload == "[DONE]":
                    return []
                try:
                    chunk = json.loads(payload)
                except ValueError:
                    self._data.append(payload)  # maybe one line of a multi-line event
                    return []
                return self.feed_chunk(chunk)
            self._data.append(payload)
            return []
        if not line:
            return self._dispatch()
        if line[0] == ":":
            return []  # comment: `: keep-alive`, `: OPENROUTER PROCESSING`
        if line.startswith("event:"):
            self._event = line[6:].strip()
            return []
        if line.startswith("error:"):
            return self._fail(_loads_or_text(line[6:].strip()))
        if not line.startswith(("id:", "retry:")) and not self._first_other:
            self._first_other = line.strip()
        return []

    def finish(self) -> list[StreamEvent]:
        """Events owed at the end of the body: held text, usage, and finished or interrupted."""
        out = self._dispatch()
        if self._failed is not None:
            return out
        if self._splitter is not None:
            out.extend(self._splitter.finish())
        if self.usage is not None:
            out.append(Usage.from_raw(self.usage))
        if self.finish_reason is not None and self._calls:  # (a stream cut mid-call is interrupted, below)
            out.append(ToolCalls(self._calls.calls()))
            out.append(Finished(self.finish_reason, self.model))
        elif self.finish_reason is not None:
            out.append(Finished(self.finish_reason, self.model))
        elif self.chunks == 0 and self._first_other:
            out.append(
                StreamFailed(
                    f"the server did not send an event stream (it began: {clean_line(self._first_other, 80)})"
                    " — is base_url an OpenAI-compatible /v1 endpoint?",
                    interrupted=True,
                    model=self.model,
                )
            )
        else:
            out.append(
                StreamFailed(
                    "the stream ended before the model finished (connection dropped?)",
                    interrupted=True,
                    model=self.model,
                )
            )
        return out

    # -- internals -------------------------------------------------------------------------------------

    def _dispatch(self) -> list[StreamEvent]:
        event, self._event = self._event, ""
        if not self._data:
            return []
        payload = "\n".join(self._data)
        self._data = []
        if event == "error":
            return self._fail(_loads_or_text(payload))
        try:  # (a lone `[DONE]` never gets here: `feed_line` takes it as it comes)
            chunk = json.loads(payload)
        except ValueError:
            return self._fail_with(f"the provider sent a malformed chunk: {clean_line(payload, 60)!r}")
        return self.feed_chunk(chunk)

    def feed_chunk(self, chunk: Any) -> list[StreamEvent]:
        """Decode one parsed chunk (also used for a non-streamed completion, its message as the delta)."""
        if self._failed is not None:
            return []
        if not isinstance(chunk, dict):  # (said as JSON, as it was sent: `null`, not Python's `None`)
            sent = json.dumps(chunk, ensure_ascii=False)
            return self._fail_with(f"the provider sent a malformed chunk: {clean_line(sent, 60)!r}")
        if chunk.get("error"):
            return self._fail(chunk)
        self.chunks += 1
        if self.model is None:
            model = chunk.get("model")
            if isinstance(model, str) and model:
                self.model = model
        usage = chunk.get("usage")
        if usage and isinstance(usage, dict):
            self.usage = usage
        choices = chunk.get("choices")
        if not choices or not isinstance(choices, list):
            return []
        choice = choices[0]
        if not isinstance(choice, dict):
            return []
        out: list[StreamEvent] = []
        delta = choice.get("delta")
        if delta and isinstance(delta, dict):
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            if reasoning and isinstance(reasoning, str):
                if not self._field_seen and self._splitter is not None:
                    # Content came before the first reasoning field: what the tag splitter still holds
                    # (trailing whitespace, a possible cut tag) belongs before what follows, not at the end.
                    out.extend(self._splitter.finish())
                    self._splitter = None
                self._field_seen = True
                out.append(ReasoningDelta(reasoning))
            content = delta.get("content")
            if content and isinstance(content, str):
                if self._field_seen:
                    out.append(AnswerDelta(content))
                else:
                    if self._splitter is None:
                        self._splitter = ThinkTagSplitter()
                    out.extend(self._splitter.feed(content))
            fragments = delta.get("tool_calls")
            if fragments:
                self._calls.feed(fragments)
        reason = choice.get("finish_reason")
        if reason and isinstance(reason, str):
            self.finish_reason = reason
        return out

    def _fail(self, payload: Any) -> list[StreamEvent]:
        status = None
        if isinstance(payload, dict):
            inner = payload.get("error", payload)
            code = inner.get("code") if isinstance(inner, dict) else None
            status = code if isinstance(code, int) else None
        return self._fail_with(f"the provider reported an error mid-stream: {error_message(payload)}", status)

    def _fail_with(self, message: str, status: int | None = None) -> list[StreamEvent]:
        if self._failed is not None:
            return []
        out: list[StreamEvent] = []
        if self._splitter is not None:
            out.extend(self._splitter.finish())
        if self.usage is not None:
            out.append(Usage.from_raw(self.usage))
        self._failed = StreamFailed(message, interrupted=True, status_code=status, model=self.model)
        out.append(self._failed)
        return out


def _loads_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text
