"""The tool loop: stream an answer, run the calls it asks for, send their results back, and stream again.

Each request's events pass through unchanged, except that a `Finished` which ends a round of calls is held
back: the answer ends only when a round ends without calls. Between rounds come `ToolCalls` (what the model
asked for), a `CallChanged` for each decision and each call's start and end, and `NextRound`. Calls run one
after another, in the order the model gave them, each approved first unless its server says otherwise.

The request grows by each round exactly as the provider sent it (see `Round.wire`): the assistant message
with its `tool_calls` byte for byte, then one `tool` message per call id. `keep_reasoning` adds the round's
`reasoning_content`, which DeepSeek's thinking mode requires of every tool-calling turn.

Cancelling the task that iterates (Escape, Ctrl+C) cancels whatever waits: the approval, or the call (the
server is told). Nothing the model or a server does breaks the loop: their mistakes become tool messages.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

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
)
from reasonchat.core.tool_calls import Call, Round

if TYPE_CHECKING:
    from reasonchat.core.client import ChatClient
    from reasonchat.tools.toolbox import OfferedTool, ToolBox

Approver = Callable[[Call, "OfferedTool"], Awaitable[bool]]
DECLINED = "The user declined this tool call."
VLLM_HINT = ("the model wrote a tool call as text (<tool_call>) and no tool_calls came: a vLLM server parses them "
             "only when started with --enable-auto-tool-choice --tool-call-parser <parser> (hermes for Qwen3)")


async def answer(client: ChatClient, request: Sequence[Mapping[str, Any]], *, toolbox: ToolBox | None,
                 approve: Approver, max_rounds: int, keep_reasoning: bool, **options: Any,
                 ) -> AsyncGenerator[StreamEvent, None]:
    """The events of one answer and of all its tool rounds. `options` go to `client.stream` for each request."""
    messages = [dict(m) for m in request]
    specs = [tool.spec() for tool in toolbox.offered] if toolbox is not None else []
    rounds = 0
    while True:
        reasoning: list[str] = []
        content: list[str] = []
        calls: list[Call] = []
        async with contextlib.aclosing(client.stream(messages, tools=specs or None, **options)) as events:
            async for event in events:
                if isinstance(event, ReasoningDelta):
                    reasoning.append(event.text)
                elif isinstance(event, AnswerDelta):
                    content.append(event.text)
                elif isinstance(event, AnswerWasReasoning):
                    reasoning += content
                    content = []
                elif isinstance(event, ToolCalls):
                    calls = [Call(call) for call in event.calls]
                elif isinstance(event, Finished) and calls:
                    break  # (the round's end, not the answer's)
                elif isinstance(event, Finished) and specs and "<tool_call>" in "".join(content):
                    yield Note(VLLM_HINT)
                yield event
        if not calls:
            return
        if rounds >= max_rounds:
            yield StreamFailed(f"stopped: the model asked for tools {rounds + 1} rounds running, more than "
                               f"[tools] max_rounds = {max_rounds}", interrupted=True)
            return
        rounds += 1
        for call in calls:
            async for change in _run(call, toolbox, approve):
                yield change
        done = Round("".join(reasoning), "".join(content), calls)
        messages += done.wire(keep_reasoning)
        yield NextRound()


async def _run(call: Call, toolbox: ToolBox | None, approve: Approver) -> AsyncGenerator[StreamEvent, None]:
    """One call: approved (or not), run, ended — a `CallChanged` at each step."""
    offered = toolbox.find(call.call.name) if toolbox is not None else None
    if offered is not None:
        call.server, call.tool = offered.server, offered.tool
        server = toolbox.servers[offered.server].config if toolbox is not None else None
        if server is not None and server.asks(offered.tool):
            yield CallChanged(call)
            call.approved = await approve(call, offered)
        else:
            call.approved = True
        if not call.approved:
            call.state, call.result = "declined", DECLINED
            yield CallChanged(call)
            return
    call.state, call.started_at = "running", time.monotonic()
    yield CallChanged(call)
    error: str | None
    if toolbox is None:
        ok, text, error = False, "Error: no tools are offered in this conversation", "no tools are offered"
    else:
        outcome = await toolbox.call(call.call.name, call.call.arguments)
        ok, text, error = outcome.ok, outcome.text, outcome.error
    call.seconds = time.monotonic() - call.started_at
    call.state, call.result, call.error = ("done" if ok else "failed"), text, error
    yield CallChanged(call)
