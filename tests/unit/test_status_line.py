"""The status line's figures: thousands separators, and on a narrow terminal the least needed parts go."""

from __future__ import annotations

from reasonchat.core.cost import Price
from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta, Usage
from reasonchat.core.reply import Reply
from reasonchat.tui.widgets.status_bar import usage_line


def finished(tokens: int = 137_262, seconds: float = 1.0) -> Reply:
    reply = Reply(model="m", started=0.0, price=Price(input=2, output=8))
    reply.apply(ReasoningDelta("r"), now=0.0)
    reply.apply(AnswerDelta("a"), now=0.5)
    reply.apply(Usage.from_raw({"prompt_tokens": 12_345, "completion_tokens": tokens,
                                "completion_tokens_details": {"reasoning_tokens": 100_000},
                                "prompt_tokens_details": {"cached_tokens": 2_048}}))
    reply.apply(Finished("stop"))
    reply.ended_at = (reply.first_token_at or 0.0) + seconds
    return reply


def test_numbers_have_thousands_separators() -> None:
    line = usage_line(finished())
    assert "prompt 12,345" in line and "completion 137,262" in line and "137,262 tok/s" in line
    assert "cache hits 2,048" in line


def test_a_narrow_line_keeps_its_start_and_the_cost() -> None:
    reply = finished()
    whole = usage_line(reply)
    narrow = usage_line(reply, width=60)
    assert len(narrow) <= 60 < len(whole)
    assert narrow.endswith(f"cost {reply.cost}") and "tok/s" in narrow
    assert "cache hits" not in narrow
