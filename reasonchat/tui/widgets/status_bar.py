"""The line under the prompt: what the answer in flight is doing, then the finished turn's numbers.

While an answer streams it says which phase it is in — waiting for the first token, thinking, answering —
with the elapsed time, the tokens so far (chunks: most providers send a token a chunk) and the speed; once
it ends, prompt / completion / reasoning tokens, cache hits, time to first token, speed and cost. Numbers
have thousands separators. On a narrow terminal the least needed parts go first (the key hints, then cache
hits, prompt and reasoning tokens), so the line keeps its start and its end — the cost — instead of losing
whatever runs past the edge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.widgets import Static

from reasonchat.tui import clock

if TYPE_CHECKING:
    from reasonchat.core.reply import Reply

READY = "Ready — type a message and press Enter"


Parts = list[tuple[int, str]]  # (how much it is needed: 0 most, the text), in the order shown


def fit(parts: Parts, width: int | None = None) -> str:
    """The parts joined by " · ", leaving out the least needed ones until the line is `width` cells at most."""
    kept = list(parts)
    while width is not None and len(kept) > 1 and cell_len(" · ".join(text for _, text in kept)) > width:
        kept.remove(max(kept, key=lambda part: part[0]))
    return " · ".join(text for _, text in kept)


def usage_parts(reply: Reply) -> Parts:
    usage = reply.usage
    parts: Parts = []
    if usage is not None:
        if usage.prompt_tokens is not None:
            parts.append((3, f"prompt {usage.prompt_tokens:,}"))
        if usage.completion_tokens is not None:
            parts.append((1, f"completion {usage.completion_tokens:,}"))
        if usage.reasoning_tokens is not None:
            parts.append((3, f"reasoning {usage.reasoning_tokens:,}"))
        if usage.cached_tokens:
            parts.append((4, f"cache hits {usage.cached_tokens:,}"))
    if reply.ttft is not None:
        parts.append((2, f"first token {reply.ttft:.2f} s"))
    if reply.first_token_at is not None and reply.ended_at is not None:
        elapsed = reply.ended_at - reply.first_token_at
        count = usage.completion_tokens if usage and usage.completion_tokens else None
        if count is None:
            count = reply.reasoning_chunks + reply.answer_chunks
        if elapsed > 0 and count:
            parts.append((1, f"{count / elapsed:,.0f} tok/s"))
    if reply.cost is not None:
        parts.append((0, f"cost {reply.cost}"))
    if reply.window and reply.context_used is not None:
        parts.append((1, f"context {tokens_short(reply.context_used)} / {tokens_short(reply.window)}"))
    return parts or [(0, "no usage reported")]


def tokens_short(count: int) -> str:
    """12,345 as "12.3k", 131,072 as "128k" (a window in binary thousands reads as its name)."""
    if count < 1000:
        return str(count)
    if count % 1024 == 0:
        return f"{count // 1024}k"
    return f"{count / 1000:.1f}k".replace(".0k", "k")


def usage_line(reply: Reply, width: int | None = None) -> str:
    return fit(usage_parts(reply), width)


def live_parts(reply: Reply, now: float | None = None) -> Parts:
    """The answer in flight: its phase, how long it has taken, tokens so far, the speed, and the keys."""
    now = clock.now() if now is None else now
    elapsed = max(0.0, now - reply.started)
    if reply.first_token_at is None:
        waiting = reply.waiting_on or "the first token"
        return [(0, f"{clock.spinner()} waiting for {waiting}"), (1, f"{elapsed:.1f} s"), (5, "Escape stops")]
    phase = "answering" if reply.answer_chunks else "thinking"
    tokens = reply.reasoning_chunks + reply.answer_chunks
    streaming = now - reply.first_token_at
    parts: Parts = [(0, f"{clock.spinner()} {phase}"), (1, f"{elapsed:.1f} s"), (2, f"{tokens:,} tokens")]
    if streaming > 0.2:
        parts.append((3, f"{tokens / streaming:,.0f} tok/s"))
    keys = "Escape stops" if reply.answer_chunks or reply.reasoning_cut else "ctrl+f answers now · Escape stops"
    return [*parts, (5, keys)]


def live_line(reply: Reply, now: float | None = None, width: int | None = None) -> str:
    return fit(live_parts(reply, now), width)


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

    def hint_mention(self, partial: str, still: Callable[[str], bool]) -> None:
        """While `@partial` is typed: the file it names, or the paths it may become — found on a thread (it
        lists a folder, which may hold 100,000 files), the newest keystroke's listing replacing any still
        running; shown only over what this line said when it was asked (a refusal said since stays), and only
        if `still(partial)` (the prompt still ends with it)."""
        before = self._text
        self.run_worker(lambda: self._find(partial, before, still), thread=True, exclusive=True, group="mention")

    def _find(self, partial: str, before: str, still: Callable[[str], bool]) -> None:
        from textual.worker import get_current_worker

        from reasonchat.core.attachments import mention_hint

        hint = mention_hint(partial)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._hinted, hint, before, partial, still)

    def _hinted(self, hint: str, before: str, partial: str, still: Callable[[str], bool]) -> None:
        if self._text == before and still(partial):
            self.say(hint)

    def end_mention(self) -> None:
        """No `@…` is being typed: a hint of one goes (anything else said stays)."""
        self.workers.cancel_group(self, "mention")
        if self._text.startswith("📎 @"):
            self.say(READY)

    def live(self, reply: Reply) -> None:
        self.say(live_line(reply, width=self._room()))

    def show_reply(self, reply: Reply) -> None:
        self.say(usage_line(reply, width=self._room()))

    def _room(self) -> int | None:
        """Cells for the text (None before the first layout: all of it)."""
        return self.content_region.width or None

    @property
    def text(self) -> str:
        return self._text
