"""What the store hands out: a conversation's summary, a stored message, a search hit — and how they are
read from their rows. No SQL is run here; the queries that make these live with the store."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reasonchat.core.attachments import Attachment
    from reasonchat.core.reply import Reply
    from reasonchat.core.tool_calls import Round

HEAD = object()  # add_message: after the head of the branch shown


ROOT = 0  # parent_id of a first message (NULL: a message from before branches, which follows the one before it)
INTERRUPTED_BY_EXIT = "reasonchat stopped before the answer finished"


@dataclass(frozen=True)
class ConversationSummary:
    id: int
    title: str
    preset: str
    model: str
    created_at: float
    updated_at: float
    message_count: int
    last_status: str | None = None  # of its last answer: complete, stopped, interrupted, error, streaming
    cost: float | None = None  # what its answers cost, where known (kept up to date as answers are saved)
    currency: str | None = None
    settings: str | None = None  # JSON: its role, temperature, max_tokens (see `settings()`)
    compare_id: int | None = None  # one column of a compare: the id of the compare's first conversation

    def own_settings(self) -> dict[str, Any]:
        """`settings` read: {} when it has none (or they cannot be read)."""
        try:
            value = json.loads(self.settings) if self.settings else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: int
    role: str
    content: str
    reasoning: str
    model: str | None
    preset: str | None
    status: str
    finish_reason: str | None
    error: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    reasoning_tokens: int | None
    cached_tokens: int | None
    usage_json: str | None  # the provider's usage as it reported it: `usage` reads it
    ttft: float | None
    reasoning_seconds: float | None
    created_at: float
    updated_at: float
    cost: float | None = None  # what it cost when it was written (the price then), in `currency`
    currency: str | None = None
    reasoning_cut: bool = False  # the user stopped the thinking and had the model answer at once
    sent: str | None = None  # what the request said about thinking: "thinking on · effort high"
    parent_id: int | None = None  # the message this one follows (its branch)
    reasoning_estimate: int | None = None  # the reasoning's token count as shown live, where none was reported
    rounds_json: str | None = None  # an answer's tool rounds (core/tool_calls.py); `rounds` reads it
    attachments: tuple[Attachment, ...] = ()  # the files sent with a user message

    @property
    def rounds(self) -> list[Round]:
        from reasonchat.core.tool_calls import loads

        return loads(self.rounds_json)

    @property
    def reasoning_count(self) -> tuple[int, bool] | None:
        """(tokens, exact) of the reasoning: the provider's count, else what the live answer showed (its
        chunks), else — for a message stored before that was kept — its characters / 4; None without any."""
        if self.reasoning_tokens is not None:
            return self.reasoning_tokens, True
        if self.reasoning_estimate is not None:
            return self.reasoning_estimate, False
        return (max(1, round(len(self.reasoning) / 4)), False) if self.reasoning else None

    @property
    def usage(self) -> dict[str, Any] | None:
        """The provider's usage as it reported it."""
        if not self.usage_json:
            return None
        try:
            value = json.loads(self.usage_json)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def to_reply(self) -> Reply:
        """The finished `Reply` this assistant message was, to show it exactly like a live one."""
        from reasonchat.core.events import AnswerDelta, ReasoningDelta, Usage
        from reasonchat.core.reply import Reply

        reply = Reply(model=self.model or "", preset=self.preset or "", started=0.0, rounds=self.rounds)
        ttft = self.ttft or 0.0
        if self.reasoning:
            reply.apply(ReasoningDelta(self.reasoning), now=ttft)
            count = self.reasoning_count
            reply.reasoning_chunks = count[0] if count is not None else 0
        if self.content:
            reply.apply(AnswerDelta(self.content), now=ttft + (self.reasoning_seconds or 0.0))
        usage = self.usage
        if usage is not None:
            reply.usage = Usage.from_raw(usage)
            requests = usage.get("requests")
            if reply.rounds and isinstance(requests, list) and requests and isinstance(requests[-1], dict):
                reply.round_usage = Usage.from_raw(requests[-1])  # (the final round's own counts)
        reply.finish_reason, reply.error = self.finish_reason, self.error
        if self.cost is not None and self.currency:
            from reasonchat.core.cost import Cost

            reply.cost = Cost(self.cost, self.currency)
        reply.reasoning_cut, reply.sent = self.reasoning_cut, self.sent or ""
        reply.status = "interrupted" if self.status == "streaming" else self.status  # type: ignore[assignment]
        reply.ended_at = reply.first_token_at
        if reply.reasoning_started_at is not None and self.reasoning_seconds is not None:
            reply.reasoning_ended_at = reply.reasoning_started_at + self.reasoning_seconds
        return reply


@dataclass(frozen=True)
class Listing:
    """A conversation as history lists it (the command line's and the TUI's alike, so both say the same): the
    messages of the branch it shows and of every version, and for a compare its columns and what they cost
    together."""

    conversation: ConversationSummary
    shown: int  # messages on the branch shown (of every column, for a compare)
    messages: int  # messages in all, every version of each
    columns: tuple[ConversationSummary, ...] = ()  # a compare's conversations, this one first; () if none
    cost: float | None = None  # the conversation's cost, or the whole compare's (None: not known)
    currency: str | None = None

    @property
    def more_versions(self) -> int:
        """Messages that are other versions than those shown (regenerated answers, edited questions)."""
        return self.messages - self.shown

    def where(self) -> str:
        """"preset · model", or a compare's "⇉ one·model | two·model"."""
        if self.columns:
            return "⇉ " + " | ".join(f"{c.preset}·{c.model}" for c in self.columns)
        return f"{self.conversation.preset} · {self.conversation.model}"


@dataclass(frozen=True)
class SearchHit:
    conversation: ConversationSummary
    message_id: int
    role: str
    snippet: str


_SUMMARY = """
    SELECT c.id, c.title, c.preset, c.model, c.created_at, c.updated_at,
           (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id),
           (SELECT m.status FROM messages m WHERE m.conversation_id = c.id AND m.role = 'assistant'
            ORDER BY m.id DESC LIMIT 1),
           c.cost, c.currency, c.settings, c.compare_id
    FROM conversations c
"""


_MESSAGE_COLUMNS = (
    "id, conversation_id, role, content, reasoning, model, preset, status, finish_reason, error, prompt_tokens,"
    " completion_tokens, reasoning_tokens, cached_tokens, usage_json, ttft, reasoning_seconds, created_at, updated_at,"
    " cost, currency, reasoning_cut, sent, parent_id, reasoning_estimate, rounds_json"
)


def _message(row: tuple[Any, ...]) -> StoredMessage:
    values = list(row)
    values[21] = bool(values[21])
    return StoredMessage(*values)
