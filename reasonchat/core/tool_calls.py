"""Tool calls as the model asked for them, what became of each, and the rounds of an answer that used them.

A model that calls tools answers in rounds: it reasons, asks for one or more calls, is sent their results,
and reasons again — until a round ends with an answer instead of calls. `ToolCall` is a call exactly as it
arrived (its id, name and argument text byte for byte: that is what goes back to the provider); `Call` is
what happened to it (approved, run, its result); a `Round` is one request's reasoning, text and calls.
`wire` gives a round back in the OpenAI message format, and `dumps`/`loads` keep rounds in the store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

State = Literal["waiting", "running", "done", "failed", "declined", "stopped"]
SETTLED: tuple[State, ...] = ("done", "failed", "declined", "stopped")


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One call as the provider sent it, merged from its stream fragments."""

    id: str
    name: str
    arguments: str  # the JSON text of the arguments, as sent (never re-serialised)
    type: str = "function"

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "function": {"name": self.name, "arguments": self.arguments}}


@dataclass(slots=True)
class Call:
    """A call and its fate. `server`/`tool` are where it went ("" for a tool that is not offered); `result` is
    the text the model is sent back (for a declined or failed call too: it says what happened)."""

    call: ToolCall
    server: str = ""
    tool: str = ""
    state: State = "waiting"
    approved: bool | None = None  # None: not decided (yet)
    result: str = ""
    error: str | None = None
    seconds: float | None = None
    started_at: float | None = field(default=None, repr=False)  # monotonic, while it runs

    @property
    def settled(self) -> bool:
        return self.state in SETTLED

    def record(self) -> dict[str, Any]:
        """The call as `ask --json` lists it, with its arguments parsed where they are JSON."""
        try:
            arguments: Any = json.loads(self.call.arguments or "{}")
        except ValueError:
            arguments = self.call.arguments
        return {"server": self.server, "name": self.tool or self.call.name, "arguments": arguments,
                "approved": self.approved, "result": self.result if self.state == "done" else None,
                "error": self.error}

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.call.id, "name": self.call.name, "arguments": self.call.arguments, "type": self.call.type,
                "server": self.server, "tool": self.tool, "state": self.state, "approved": self.approved,
                "result": self.result, "error": self.error, "seconds": self.seconds}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Call:
        call = ToolCall(str(data.get("id", "")), str(data.get("name", "")), str(data.get("arguments", "")),
                        str(data.get("type") or "function"))
        state = data.get("state")
        return cls(call, str(data.get("server", "")), str(data.get("tool", "")),
                   state if state in SETTLED else "stopped", data.get("approved"), str(data.get("result") or ""),
                   data.get("error"), data.get("seconds"))


@dataclass(slots=True)
class Round:
    """One request of an answer that called tools: what the model thought and wrote, and the calls it made."""

    reasoning: str = ""
    content: str = ""
    calls: list[Call] = field(default_factory=list)
    reasoning_seconds: float | None = None
    reasoning_chunks: int = 0
    reasoning_tokens: int | None = None  # as the provider counted this round's request, where it did

    def wire(self, keep_reasoning: bool) -> list[dict[str, Any]]:
        """The assistant message with its calls exactly as received, then one `tool` message per call, in order.
        `keep_reasoning`: the message carries its `reasoning_content` (DeepSeek's thinking mode requires it
        of every tool-calling turn, even when empty)."""
        turn: dict[str, Any] = {"role": "assistant", "content": self.content or None,
                                "tool_calls": [c.call.wire() for c in self.calls]}
        if keep_reasoning:
            turn["reasoning_content"] = self.reasoning
        return [turn, *({"role": "tool", "tool_call_id": c.call.id, "content": told(c)} for c in self.calls)]


def told(call: Call) -> str:
    """What the model is told of a call: its result, or why there is none."""
    if call.state == "declined":
        return call.result or "The user declined this tool call."
    if call.state == "stopped":
        return call.result or "The tool call was stopped before it finished."
    return call.result



def dumps(rounds: list[Round]) -> str | None:
    """Rounds as the store keeps them (None for an answer that called no tool)."""
    if not rounds:
        return None
    return json.dumps([{**{k: v for k, v in asdict(r).items() if k != "calls"},
                        "calls": [c.to_dict() for c in r.calls]} for r in rounds], ensure_ascii=False)


def loads(text: str | None) -> list[Round]:
    """Rounds read back; [] for none or for text that is not what `dumps` wrote."""
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    rounds = []
    for item in data:
        if not isinstance(item, dict):
            continue
        calls = [Call.from_dict(c) for c in item.get("calls") or () if isinstance(c, dict)]
        rounds.append(Round(str(item.get("reasoning") or ""), str(item.get("content") or ""), calls,
                            item.get("reasoning_seconds"), int(item.get("reasoning_chunks") or 0),
                            item.get("reasoning_tokens")))
    return rounds


class CallAssembler:
    """`tool_calls` deltas merged into whole calls, by `index`.

    Recorded streams differ: the id and name on the first fragment only, or an empty id repeated on every
    later one, or the same id on every fragment; a whole call in one chunk; arguments cut anywhere (character
    by character, mid-escape); the arguments as an object instead of JSON text; no `index` at all (a new id
    then starts a new call). Ollama and some gateways give every call of a round `index: 0`: a fragment whose
    id differs from the one at its index — or, with no ids, that names a tool with whole arguments of its own
    once the arguments there are whole — starts a new call, and the fragments after it continue that one.
    Some servers (DeepSeek and Qianfan at times, GLM-style local servers) send the arguments so far again in
    each chunk, or the whole payload again at the end: a fragment holding everything so far and more replaces
    it, the whole payload again is dropped, and whole JSON after whole JSON replaces it — concatenated they
    were `{…}{…}`, which no tool can take."""

    __slots__ = ("_calls", "_slots")

    def __init__(self) -> None:
        self._calls: list[_Assembling] = []  # in the order they began
        self._slots: dict[int, int] = {}  # the provider's index -> the position of the call it continues

    def __bool__(self) -> bool:
        return bool(self._calls)

    def feed(self, fragments: Any) -> None:
        if not isinstance(fragments, list):
            return
        for fragment in fragments:
            if isinstance(fragment, dict):
                self._feed_one(fragment)

    def _call(self, fragment: dict[str, Any], ident: str, name: str, arguments: str) -> _Assembling:
        index = fragment.get("index")
        if not isinstance(index, int) or isinstance(index, bool):
            index = -1  # (no index: every fragment continues the last call, unless it starts one)
        at = self._slots.get(index, len(self._calls) - 1 if index == -1 and self._calls else None)
        if at is not None and not self._calls[at].ends_at(ident, name, arguments):
            return self._calls[at]
        self._slots[index] = len(self._calls)
        self._calls.append(_Assembling())
        return self._calls[-1]

    def _feed_one(self, fragment: dict[str, Any]) -> None:
        ident = fragment.get("id")
        ident = ident if isinstance(ident, str) else ""
        function = fragment.get("function")
        function = function if isinstance(function, dict) else {}
        name = function.get("name")
        name = name if isinstance(name, str) else ""
        arguments = function.get("arguments")
        text = (arguments if isinstance(arguments, str)
                else json.dumps(arguments, ensure_ascii=False) if isinstance(arguments, dict) else "")
        call = self._call(fragment, ident, name, text)
        if ident and not call.id:
            call.id = ident
        kind = fragment.get("type")
        if isinstance(kind, str) and kind:
            call.type = kind
        if name and name != call.name:
            call.name += name  # (a name sent again whole is not doubled)
        if text:
            call.add(text)

    def calls(self) -> tuple[ToolCall, ...]:
        return tuple(ToolCall(call.id or f"call_{position}", call.name, call.arguments(), call.type)
                     for position, call in enumerate(self._calls))


@dataclass(slots=True)
class _Assembling:
    """One call while its fragments arrive. `parts` is its arguments with what was sent again taken out;
    `raw` the plain concatenation beside it: where that turns out whole JSON after all — a nested object that
    began like the outer one, cut just there — it wins; once it is far longer than `parts`, the stream was
    cumulative beyond doubt and it is dropped. The text so far is looked at only when a fragment is as long
    as it, so a stream cut character by character costs a list append per fragment."""

    id: str = ""
    type: str = "function"
    name: str = ""
    parts: list[str] = field(default_factory=list)
    length: int = 0
    raw: list[str] | None = field(default_factory=list)
    raw_length: int = 0

    def so_far(self) -> str:
        """The arguments so far, as one string (kept joined, so asking again costs nothing)."""
        if len(self.parts) != 1:
            self.parts[:] = ["".join(self.parts)]
        return self.parts[0]

    def ends_at(self, ident: str, name: str, arguments: str) -> bool:
        """Whether a fragment with this id, name and argument text starts another call instead."""
        if ident and self.id:
            return ident != self.id
        if ident or self.id or not name or not self.name or not _whole(arguments):
            return False  # (ids decide where there are any; a name in pieces comes before its arguments)
        so_far = self.so_far()
        return so_far != arguments and _whole(so_far)

    def add(self, text: str) -> None:
        if self.raw is not None:
            self.raw.append(text)
            self.raw_length += len(text)
        if self.length and len(text) >= self.length:
            so_far = self.so_far()
            if text == so_far and _whole(so_far):
                return  # the whole payload sent again
            if len(text) > self.length and text.startswith(so_far):
                self._replace(text)  # this chunk holds all the arguments so far, and more
                return
        if self.length and _whole(text) and _whole(self.so_far()):
            self._replace(text)  # a later whole payload replaces a whole one
            return
        self.parts.append(text)
        self.length += len(text)

    def _replace(self, text: str) -> None:
        self.parts[:] = [text]
        self.length = len(text)
        if self.raw is not None and self.raw_length > 2 * len(text) + 65536:
            self.raw = None

    def arguments(self) -> str:
        """The plain concatenation where that is whole JSON, else the text with the resent parts taken out."""
        text = self.so_far() if self.parts else ""
        if self.raw is not None and self.raw_length != len(text):
            plain = "".join(self.raw)
            if _whole(plain):
                return plain
        return text


def _whole(text: str) -> bool:
    """Whether `text` is a whole JSON object (tried only for text that starts like one)."""
    if not text.lstrip().startswith("{"):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
