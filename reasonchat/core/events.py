"""Typed events a chat stream produces, whatever the provider's wire shape.

The engine turns every provider's chunks into this small vocabulary so that `ask`, the TUI and the store
only ever handle one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reasonchat.core.tool_calls import Call, ToolCall


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    text: str


@dataclass(frozen=True, slots=True)
class AnswerDelta:
    text: str


@dataclass(frozen=True, slots=True)
class AnswerWasReasoning:
    """Everything received as answer so far was reasoning after all.

    Sent when a stream that never opened a `<think>` tag closes one (a template that put `<think>` in the
    prompt): consumers move their answer text into the reasoning.
    """


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    reasoning_tokens: int | None = None
    cached_tokens: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> Usage:
        """Read the fields providers agree on; keep the rest in `raw` for export."""

        def num(value: Any) -> int | None:
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        details = raw.get("completion_tokens_details")
        prompt_details = raw.get("prompt_tokens_details")
        reasoning = num(details.get("reasoning_tokens")) if isinstance(details, dict) else None
        cached = num(prompt_details.get("cached_tokens")) if isinstance(prompt_details, dict) else None
        if cached is None:
            cached = num(raw.get("prompt_cache_hit_tokens"))
        return cls(
            prompt_tokens=num(raw.get("prompt_tokens")),
            completion_tokens=num(raw.get("completion_tokens")),
            total_tokens=num(raw.get("total_tokens")),
            reasoning_tokens=reasoning,
            cached_tokens=cached,
            raw=raw,
        )


@dataclass(frozen=True, slots=True)
class Finished:
    """The provider ended the answer: `finish_reason` is "stop", "length", "content_filter", …"""

    finish_reason: str
    model: str | None = None


@dataclass(frozen=True, slots=True)
class StreamFailed:
    """The request or the stream failed. `message` is one line for the user.

    `interrupted` is true when the stream had started (text may have arrived) and ended early; false when
    the request itself was refused (HTTP error, connection refused, missing key).
    """

    message: str
    interrupted: bool = False
    status_code: int | None = None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class ToolCalls:
    """The model asked for these calls (sent just before `Finished`, whatever its `finish_reason`)."""

    calls: tuple[ToolCall, ...]


@dataclass(frozen=True, slots=True)
class CallChanged:
    """The tool loop: a call of the current round was approved, declined, started or ended. `call` is the
    loop's own record (the consumers read it; only the loop changes it)."""

    call: Call


@dataclass(frozen=True, slots=True)
class NextRound:
    """The tool loop sends the calls' results back: what arrived so far is one round, and a new one begins."""


@dataclass(frozen=True, slots=True)
class Note:
    """One line the answer carries for the user (the tool loop: vLLM sent a tool call as text)."""

    text: str


StreamEvent = (ReasoningDelta | AnswerDelta | AnswerWasReasoning | Usage | Finished | StreamFailed | ToolCalls
               | CallChanged | NextRound | Note)
