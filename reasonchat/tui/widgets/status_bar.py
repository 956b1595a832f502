"""The line under the prompt: what the answer in flight is doing, then the finished turn's numbers.

While an answer streams it says which phase it is in — waiting for the first token, thinking, answering —
with the elapsed time, the tokens so far (chunks: most providers send a token a chunk) and the speed; once
it ends, prompt / completion / reasoning tokens, cache hits, time to first token and speed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from reasonchat.tui import clock

if TYPE_CHECKING:
    from reasonchat.core.reply import Reply

READY = "Ready — type a message and press Enter"


def usage_line(reply: Reply) -> str:
    usage = reply.usage
    parts = []
    if usage is not None:
        if usage.prompt_tokens is not None:
            parts.append(f"prompt {usage.prompt_tokens}")
        if usage.completion_tokens is not None:
            parts.append(f"completion {usage.completion_tokens}")
        if usage.reasoning_tokens is not None:
            parts.append(f"reasoning {usage.reasoning_tokens}")
        if usage.cached_tokens:
            parts.append(f"cache hits {usage.cached_tokens}")
    if reply.ttft is not None:
        parts.append(f"first token {reply.ttft:.2f} s")
    if reply.first_token_at is not None and reply.ended_at is not None:
        elapsed = reply.ended_at - reply.first_token_at
        count = usage.completion_tokens if usage and usage.completion_tokens else None
        if count is None:
            count = reply.reasoning_chunks + reply.answer_chunks
        if elapsed > 0 and count:
            parts.append(f"{count / elapsed:.0f} tok/s")
    if reply.cost is not None:
        parts.append(f"cost {reply.cost}")
    return " · ".join(parts) or "no usage reported"


def live_line(reply: Reply, now: float | None = None) -> str:
    """The answer in flight: its phase, how long it has taken, tokens so far and the speed."""
    now = clock.now() if now is None else now
    elapsed = max(0.0, now - reply.started)
    if reply.first_token_at is None:
        return f"{clock.spinner()} waiting for the first token · {elapsed:.1f} s · Escape stops"
    phase = "answering" if reply.answer_chunks else "thinking"
    tokens = reply.reasoning_chunks + reply.answer_chunks
    streaming = now - reply.first_token_at
    speed = f" · {tokens / streaming:.0f} tok/s" if streaming > 0.2 else ""
    keys = "Escape stops" if reply.answer_chunks or reply.reasoning_cut else "ctrl+f answers now · Escape stops"
    return f"{clock.spinner()} {phase} · {elapsed:.1f} s · {tokens} tokens{speed} · {keys}"


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; padding: 0 1; color: $text-muted; background: $panel; }
    """

    def __init__(self) -> None:
        super().__init__(READY, markup=False)
        self._text = READY

    def say(self, text: str) -> None:
        """One line of fixed height: no layout pass, and nothing at all when the text is the same."""
        if text != self._text:
            self._text = text
            self.update(text, layout=False)

    def live(self, reply: Reply) -> None:
        self.say(live_line(reply))

    def show_reply(self, reply: Reply) -> None:
        self.say(usage_line(reply))

    @property
    def text(self) -> str:
        return self._text
