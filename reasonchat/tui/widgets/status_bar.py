"""The last turn's numbers: prompt / completion / reasoning tokens, cache hits, time to first token, speed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from reasonchat.core.reply import Reply


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
            count = reply.reasoning_chunks + len(reply.content) // 4
        if elapsed > 0 and count:
            parts.append(f"{count / elapsed:.0f} tok/s")
    return " · ".join(parts) or "no usage reported"


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; padding: 0 1; color: $text-muted; background: $panel; }
    """

    def show_reply(self, reply: Reply) -> None:
        self.update(usage_line(reply))
