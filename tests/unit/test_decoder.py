"""The SSE/chunk decoder on every wire shape of DESIGN.md "Stream semantics", line by line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reasonchat.core.decoder import StreamDecoder
from reasonchat.core.events import Finished, StreamFailed, Usage
from reasonchat.core.reply import Reply


def data(obj: Any) -> str:
    return "data: " + json.dumps(obj)


def chunk(delta: dict[str, Any] | None = None, finish: str | None = None, usage: Any = None,
          choices: bool = True) -> str:
    body: dict[str, Any] = {"model": "m", "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}]
                            if choices else []}
    if usage is not None:
        body["usage"] = usage
    return data(body)


def decode(lines: list[str]) -> Reply:
    decoder = StreamDecoder()
    reply = Reply(model="asked")
    for line in lines:
        for event in decoder.feed_line(line):
            reply.apply(event)
        if decoder.failed:
            break
    else:
        for event in decoder.finish():
            reply.apply(event)
    return reply


def with_blanks(lines: list[str]) -> list[str]:
    return [part for line in lines for part in (line, "")]


def test_reasoning_content_then_content_with_nulls() -> None:
    reply = decode(with_blanks([
        ": keep-alive",
        chunk({"role": "assistant", "content": None, "reasoning_content": ""}),
        chunk({"content": None, "reasoning_content": "Think"}),
        chunk({"content": None, "reasoning_content": "ing."}),
        chunk({"content": "Ans", "reasoning_content": None}),
        chunk({"content": "wer"}, "stop", {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7,
                                            "completion_tokens_details": {"reasoning_tokens": 2}}),
        "data: [DONE]",
    ]))
    assert (reply.reasoning, reply.content, reply.finish_reason, reply.status) == ("Thinking.", "Answer", "stop",
                                                                                  "complete")
    assert reply.usage is not None
    assert reply.usage.reasoning_tokens == 2
    assert reply.model == "m"


def test_reasoning_field_and_absent_reasoning_key() -> None:
    reply = decode(with_blanks([chunk({"reasoning": "r1"}), chunk({"content": "", "reasoning": "r2"}),
                                chunk({"content": "a", "role": "assistant"}), chunk({}, "stop")]))
    assert (reply.reasoning, reply.content) == ("r1r2", "a")


def test_reasoning_content_wins_over_reasoning() -> None:
    reply = decode([chunk({"reasoning_content": "rc", "reasoning": "r"}), chunk({}, "stop")])
    assert reply.reasoning == "rc"


def test_usage_only_chunk_and_running_usage_last_wins() -> None:
    reply = decode([
        chunk({"content": "a"}, usage={"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}),
        chunk({"content": "b"}, usage={"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}),
        chunk({}, "stop", usage=None),
        chunk(choices=False, usage={"prompt_tokens": 1, "completion_tokens": 5, "total_tokens": 6}),
        "data: [DONE]",
    ])
    assert reply.usage is not None
    assert reply.usage.completion_tokens == 5
    assert reply.content == "ab"


def test_cached_tokens_from_either_field() -> None:
    assert Usage.from_raw({"prompt_cache_hit_tokens": 7}).cached_tokens == 7
    assert Usage.from_raw({"prompt_tokens_details": {"cached_tokens": 9}}).cached_tokens == 9


def test_no_finish_reason_is_interrupted() -> None:
    reply = decode([chunk({"content": "partial"}), "data: [DONE]"])
    assert reply.status == "interrupted"
    assert reply.content == "partial"
    assert "ended before" in (reply.error or "")


def test_length_is_reported() -> None:
    reply = decode([chunk({"content": "cut"}, "length")])
    assert reply.finish_reason == "length"
    assert reply.status == "complete"


def test_error_payload_mid_stream() -> None:
    reply = decode([chunk({"content": "so far"}), data({"error": {"message": "boom", "code": 500}}),
                    chunk({"content": "never"})])
    assert reply.status == "interrupted"
    assert reply.content == "so far"
    assert "boom" in (reply.error or "")


def test_error_line_and_event_error() -> None:
    reply = decode([chunk({"content": "x"}), 'error: {"message": "overloaded"}'])
    assert reply.status == "interrupted"
    assert "overloaded" in (reply.error or "")
    reply = decode([chunk({"content": "x"}), "event: error", 'data: {"message": "quota"}', ""])
    assert "quota" in (reply.error or "")


def test_multi_line_data_event() -> None:
    reply = decode(['data: {"choices": [{"delta":', 'data: {"content": "joined"}, "finish_reason": "stop"}]}', ""])
    assert reply.content == "joined"
    assert reply.status == "complete"


def test_malformed_chunk() -> None:
    reply = decode([chunk({"content": "ok "}), 'data: {"choices": [', "", chunk({"content": "more"})])
    assert reply.status == "interrupted"
    assert "malformed" in (reply.error or "")
    assert reply.content == "ok "


def test_ignores_ids_retry_and_comments() -> None:
    reply = decode(["id: 1", "retry: 100", ": OPENROUTER PROCESSING", chunk({"content": "x"}, "stop")])
    assert reply.content == "x"


def test_html_body_is_named() -> None:
    reply = decode(["<html>", "<body>login</body>", "</html>"])
    assert reply.status == "interrupted"
    assert "did not send an event stream" in (reply.error or "")


def test_inline_think_tags_through_content() -> None:
    reply = decode([chunk({"content": "<thi"}), chunk({"content": "nk>hmm</th"}), chunk({"content": "ink>ok"}, "stop")])
    assert (reply.reasoning, reply.content) == ("hmm", "ok")


def test_events_end_with_exactly_one_terminal_event() -> None:
    decoder = StreamDecoder()
    events = decoder.feed_line(chunk({"content": "a"}, "stop")) + decoder.finish()
    assert [type(e) for e in events].count(Finished) == 1
    decoder = StreamDecoder()
    events = decoder.feed_line(chunk({"content": "a"})) + decoder.finish()
    assert [type(e) for e in events].count(StreamFailed) == 1


@pytest.mark.parametrize("data", ["[1, 2]", '"a string"', "42", "null", "true"])
def test_a_chunk_that_is_json_but_not_an_object_ends_the_stream_and_is_never_skipped(data: str) -> None:
    # (A decoder that skipped it would go on to "more" and finish: "complete", with a piece silently missing.)
    reply = decode([chunk({"content": "ok "}), f"data: {data}", chunk({"content": "more"}, "stop")])
    assert reply.status == "interrupted"
    assert reply.error == f"the provider sent a malformed chunk: {data!r}"
    assert reply.content == "ok "
