"""A finished round of an answer that called tools: its reasoning (collapsible, "Thought for 1.2 s"), what it
wrote, and its calls. The answer in flight shows one of these for each round before the one it is in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from reasonchat.core.events import ReasoningDelta, Usage
from reasonchat.core.reply import Reply
from reasonchat.core.tool_calls import Round
from reasonchat.text.sanitize import clean
from reasonchat.tui.widgets.reasoning_block import ReasoningBlock
from reasonchat.tui.widgets.tool_call import ToolCallLine


def round_reply(done: Round, model: str) -> Reply:
    """A finished `Reply` holding the round's reasoning, so its block shows it as any finished answer's."""
    reply = Reply(model=model, started=0.0)
    if done.reasoning:
        reply.apply(ReasoningDelta(done.reasoning), now=0.0)
        reply.reasoning_chunks = done.reasoning_chunks or reply.reasoning_chunks
    if done.reasoning_tokens is not None:
        reply.usage = Usage(reasoning_tokens=done.reasoning_tokens)
    reply.status = "complete"
    reply.ended_at = reply.reasoning_ended_at = done.reasoning_seconds or 0.0
    return reply


class ToolRound(Vertical):
    DEFAULT_CSS = """
    ToolRound { height: auto; }
    ToolRound > .round-text { padding: 0 1; }
    """

    def __init__(self, done: Round, model: str, mode: str) -> None:
        super().__init__()
        self.done = done
        self.reply = round_reply(done, model)
        self.reasoning = ReasoningBlock(mode)
        self.calls = [ToolCallLine(call) for call in done.calls]

    def compose(self) -> ComposeResult:
        yield self.reasoning
        if self.done.content.strip():
            yield Static(clean(self.done.content.strip()), classes="round-text", markup=False)
        yield from self.calls

    def on_mount(self) -> None:
        self.reasoning.set_mode(self.reasoning.mode, answering=True)
        self.reasoning.show(self.reply)

    def set_mode(self, mode: str) -> None:
        self.reasoning.set_mode(mode, answering=True)
