"""The inline <think> splitter: same result for every chunking, closing-tag-only streams, whitespace."""

from __future__ import annotations

import pytest

from reasonchat.core.events import AnswerDelta, AnswerWasReasoning, ReasoningDelta
from reasonchat.core.reasoning import ThinkTagSplitter


def run(chunks: list[str]) -> tuple[str, str]:
    splitter = ThinkTagSplitter()
    events = [e for chunk in chunks for e in splitter.feed(chunk)] + splitter.finish()
    reasoning, answer = "", ""
    for event in events:
        if isinstance(event, ReasoningDelta):
            reasoning += event.text
        elif isinstance(event, AnswerDelta):
            answer += event.text
        elif isinstance(event, AnswerWasReasoning):
            reasoning, answer = reasoning + answer, ""
    return reasoning, answer


CASES = [
    ("<think>\nLet me see.\n\nYes.\n</think>\n\nThe answer is 42.\n", ("Let me see.\n\nYes.", "The answer is 42.\n")),
    ("  \n<think>x</think>y", ("x", "y")),
    ("Reasoning only, template opened it.\n</think>\n\nPONG", ("Reasoning only, template opened it.", "PONG")),
    ("Plain answer with no tags at all.", ("", "Plain answer with no tags at all.")),
    ("Use <think> in HTML? </b> fine", ("", "Use <think> in HTML? </b> fine")),
    ("<think>unfinished thought", ("unfinished thought", "")),
    ("<think></think>Just the answer", ("", "Just the answer")),
    ("<think>a</think>answer mentions </think> literally", ("a", "answer mentions </think> literally")),
    ("<thi", ("", "<thi")),
    ("中文推理<think>不是标签", ("", "中文推理<think>不是标签")),
    ("<think>推理：先想一想。</think>答案是四。", ("推理：先想一想。", "答案是四。")),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_whole_text(text: str, expected: tuple[str, str]) -> None:
    assert run([text]) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_every_split_position_gives_the_same_result(text: str, expected: tuple[str, str]) -> None:
    """Cut the stream at every pair of positions (so every byte boundary, once and twice)."""
    for i in range(len(text) + 1):
        assert run([text[:i], text[i:]]) == expected, i
        for j in range(i, len(text) + 1):
            assert run([text[:i], text[i:j], text[j:]]) == expected, (i, j)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_one_character_at_a_time(text: str, expected: tuple[str, str]) -> None:
    assert run(list(text)) == expected


def test_ollama_split_closing_tag() -> None:
    """The split PROVIDERS.md quotes from older Ollama."""
    assert run(["<think>PI", "NG.\n</thi", "nk>\n\nPONG"]) == ("PING.", "PONG")


def test_closing_only_stream_relabels_answer_as_reasoning() -> None:
    splitter = ThinkTagSplitter()
    first = splitter.feed("thinking hard ")
    assert first == [AnswerDelta("thinking hard")]  # looks like an answer until the tag comes
    second = splitter.feed("now</think>done")
    assert second[0] == AnswerWasReasoning()
    assert run(["thinking hard ", "now</think>done"]) == ("thinking hard now", "done")
