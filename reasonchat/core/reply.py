"""`Reply`: one assistant answer folded from stream events, with its timings and final status.

`ask`, the store writer and the TUI all fold events the same way through `apply`, so "what arrived" means
the same thing everywhere. Text is kept as a list of parts joined on demand: appending to a string
attribute per token would copy the whole answer every time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from reasonchat.core.events import (
    AnswerDelta,
    AnswerWasReasoning,
    CallChanged,
    Finished,
    NextRound,
    Note,
    ReasoningDelta,
    StreamEvent,
    StreamFailed,
    ToolCalls,
    Usage,
)
from reasonchat.core.tool_calls import Call, Round

if TYPE_CHECKING:
    from reasonchat.core.cost import Cost, Price

Status = Literal["streaming", "complete", "stopped", "interrupted", "error"]


@dataclass
class Reply:
    model: str
    preset: str = ""
    started: float = field(default_factory=time.monotonic)
    status: Status = "streaming"
    finish_reason: str | None = None
    usage: Usage | None = None
    error: str | None = None
    first_token_at: float | None = None
    reasoning_started_at: float | None = None
    reasoning_ended_at: float | None = None
    ended_at: float | None = None
    version: int = 0  # bumped on every text change: cheap "has anything changed since I looked?"
    reasoning_chunks: int = 0  # most providers send one token a chunk: a live count without a tokenizer
    answer_chunks: int = 0
    price: Price | None = None  # the preset's price for this model: the cost follows from the usage
    cost: Cost | None = None
    reasoning_cut: bool = False  # the user stopped the thinking and had the model answer at once
    sent: str = ""  # what the request said about thinking ("thinking on · effort high"), for the record
    rounds: list[Round] = field(default_factory=list)  # earlier requests of an answer that called tools
    calls: list[Call] = field(default_factory=list)  # the calls the current round asked for
    note: str | None = None  # one line the answer ends with (the tool round limit reached)
    window: int | None = None  # the model's context window in tokens, where known (the preset, the server)
    waiting_on: str = ""  # what the request waits for before it can go ("the tools' servers to start (demo)")
    _earlier_usage: list[Usage] = field(default_factory=list, repr=False)  # each earlier round's request's
    round_usage: Usage | None = field(default=None, repr=False)  # the current round's request's
    _reasoning: list[str] = field(default_factory=list, repr=False)
    _answer: list[str] = field(default_factory=list, repr=False)

    @property
    def reasoning(self) -> str:
        if len(self._reasoning) > 1:
            self._reasoning[:] = ["".join(self._reasoning)]
        return self._reasoning[0] if self._reasoning else ""

    @property
    def content(self) -> str:
        if len(self._answer) > 1:
            self._answer[:] = ["".join(self._answer)]
        return self._answer[0] if self._answer else ""

    @property
    def has_text(self) -> bool:
        return bool(self._reasoning or self._answer)

    @property
    def done(self) -> bool:
        return self.status != "streaming"

    @property
    def ttft(self) -> float | None:
        """Seconds from sending the request to the first token of reasoning or answer."""
        return None if self.first_token_at is None else self.first_token_at - self.started

    @property
    def reasoning_seconds(self) -> float | None:
        """How long the model thought: first reasoning token to first answer token (or last reasoning)."""
        if self.reasoning_started_at is None:
            return None
        end = self.reasoning_ended_at or self.ended_at or time.monotonic()
        return max(0.0, end - self.reasoning_started_at)

    def apply(self, event: StreamEvent, now: float | None = None) -> None:
        if isinstance(event, AnswerDelta):
            now = time.monotonic() if now is None else now
            if self.first_token_at is None:
                self.first_token_at = now
            if self.reasoning_started_at is not None and self.reasoning_ended_at is None:
                self.reasoning_ended_at = now
            self._answer.append(event.text)
            self.answer_chunks += 1
            self.version += 1
        elif isinstance(event, ReasoningDelta):
            now = time.monotonic() if now is None else now
            if self.first_token_at is None:
                self.first_token_at = now
            if self.reasoning_started_at is None:
                self.reasoning_started_at = now
            self._reasoning.append(event.text)
            self.reasoning_chunks += 1
            self.version += 1
        elif isinstance(event, AnswerWasReasoning):
            self._reasoning.extend(self._answer)
            self._answer.clear()
            self.reasoning_chunks += self.answer_chunks
            self.answer_chunks = 0
            if self.reasoning_started_at is None:
                self.reasoning_started_at = self.first_token_at
            self.reasoning_ended_at = None
            self.version += 1
        elif isinstance(event, Usage):
            self.round_usage = event
            self.usage = event = _summed([*self._earlier_usage, event]) if self._earlier_usage else event
            if self.price is not None:
                from reasonchat.core.cost import cost_of

                thought = bool(event.reasoning_tokens) or bool(self._reasoning)
                self.cost = cost_of(self.price, event.prompt_tokens, event.cached_tokens, event.completion_tokens,
                                    thought)
        elif isinstance(event, ToolCalls):
            self.calls = [Call(call) for call in event.calls]
            if self.reasoning_started_at is not None and self.reasoning_ended_at is None:
                self.reasoning_ended_at = time.monotonic() if now is None else now  # (not the calls' time)
            self.version += 1
        elif isinstance(event, CallChanged):
            for i, call in enumerate(self.calls):  # (the loop's own record replaces the one made from ToolCalls)
                if call.call is event.call.call:
                    self.calls[i] = event.call
            self.version += 1
        elif isinstance(event, Note):
            self.note = event.text
        elif isinstance(event, NextRound):
            self._next_round()
        elif isinstance(event, Finished):
            self.finish_reason = event.finish_reason
            if event.model:
                self.model = event.model
            self._end("complete")
        elif isinstance(event, StreamFailed):
            self.error = event.message
            if event.model:
                self.model = event.model
            self._end("interrupted" if event.interrupted or self.has_text else "error")

    def _next_round(self) -> None:
        seconds = self.reasoning_seconds
        tokens = self.round_usage.reasoning_tokens if self.round_usage is not None else None
        self.rounds.append(Round(self.reasoning, self.content, self.calls, seconds, self.reasoning_chunks, tokens))
        if self.round_usage is not None:
            self._earlier_usage.append(self.round_usage)
            self.round_usage = None
        self._reasoning.clear()
        self._answer.clear()
        self.calls = []
        self.reasoning_chunks = self.answer_chunks = 0
        self.reasoning_started_at = self.reasoning_ended_at = None
        self.finish_reason = None
        self.version += 1

    @property
    def context_used(self) -> int | None:
        """The context the last request took: its prompt and completion tokens (with tool rounds, the last's)."""
        usage = self.round_usage if self.rounds else self.usage
        if usage is None or usage.prompt_tokens is None:
            return None
        return usage.prompt_tokens + (usage.completion_tokens or 0)

    @property
    def all_calls(self) -> list[Call]:
        """Every call of the answer, in the order they were made."""
        return [call for r in self.rounds for call in r.calls] + self.calls

    def stop(self, *, ended_too: bool = False) -> None:
        """The user stopped the answer: what arrived stays, marked stopped. `ended_too`: an answer that had
        already ended is marked so as well (the reader of `ask`'s output left before it was all written)."""
        if not self.done:
            self._end("stopped")
        elif ended_too:
            self.status = "stopped"

    def _end(self, status: Status) -> None:
        self.status = status
        for call in self.calls:
            if not call.settled:
                call.state = "stopped"
        self.ended_at = time.monotonic()
        if self.reasoning_started_at is not None and self.reasoning_ended_at is None:
            self.reasoning_ended_at = self.ended_at

    @property
    def reasoning_tokens(self) -> tuple[int, bool] | None:
        """(count, exact): the provider's reasoning_tokens when given, else an estimate (chunks received)."""
        usage = self.round_usage if self.rounds else self.usage  # (with tool rounds: this round's own count)
        if usage is not None and usage.reasoning_tokens is not None and not self.reasoning_cut:
            return usage.reasoning_tokens, True  # (after a cut, the usage is the answer's request alone)
        return (self.reasoning_chunks, False) if self.reasoning_chunks else None


def _summed(usages: list[Usage]) -> Usage:
    """The usage of an answer that took several requests: each count summed where every request gave it."""
    def total(name: str) -> int | None:
        values = [getattr(u, name) for u in usages]
        return None if any(v is None for v in values) else sum(values)

    raw: dict[str, object] = {"prompt_tokens": total("prompt_tokens"), "completion_tokens": total("completion_tokens"),
                              "total_tokens": total("total_tokens")}
    if total("reasoning_tokens") is not None:
        raw["completion_tokens_details"] = {"reasoning_tokens": total("reasoning_tokens")}
    if total("cached_tokens") is not None:
        raw["prompt_tokens_details"] = {"cached_tokens": total("cached_tokens")}
    raw["requests"] = [u.raw for u in usages]  # each request's usage as the provider reported it
    return Usage(total("prompt_tokens"), total("completion_tokens"), total("total_tokens"),
                 total("reasoning_tokens"), total("cached_tokens"), raw)
