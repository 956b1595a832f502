from __future__ import annotations

from reasonchat.core.events import AnswerDelta, AnswerWasReasoning, Finished, ReasoningDelta, StreamFailed, Usage
from reasonchat.core.reply import Reply


def test_timings_and_tokens() -> None:
    reply = Reply(model="m", started=0.0)
    reply.apply(ReasoningDelta("abcdefgh"), now=1.0)
    reply.apply(AnswerDelta("x"), now=3.5)
    reply.apply(Finished("stop", model="served-model"))
    assert reply.ttft == 1.0
    assert reply.reasoning_seconds == 2.5
    assert reply.reasoning_tokens == (1, False)
    assert reply.model == "served-model"
    reply.apply(Usage.from_raw({"completion_tokens_details": {"reasoning_tokens": 135}}))
    assert reply.reasoning_tokens == (135, True)


def test_answer_was_reasoning_moves_text() -> None:
    reply = Reply(model="m")
    reply.apply(AnswerDelta("all "))
    reply.apply(AnswerDelta("thought"))
    reply.apply(AnswerWasReasoning())
    reply.apply(ReasoningDelta(" more"))
    reply.apply(AnswerDelta("answer"))
    assert (reply.reasoning, reply.content) == ("all thought more", "answer")


def test_statuses() -> None:
    failed = Reply(model="m")
    failed.apply(StreamFailed("refused"))
    assert failed.status == "error"
    broken = Reply(model="m")
    broken.apply(AnswerDelta("x"))
    broken.apply(StreamFailed("dropped", interrupted=True))
    assert broken.status == "interrupted"
    assert broken.content == "x"
    stopped = Reply(model="m")
    stopped.apply(AnswerDelta("x"))
    stopped.stop()
    stopped.stop()
    assert stopped.status == "stopped"
