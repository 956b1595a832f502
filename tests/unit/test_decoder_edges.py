"""The decoder's edges that mutation testing (benchmarks/mutation.py) found unheld: each provider's error
shape, the exact events a failure carries (status, model, the usage that came first), every SSE field form,
line endings cut across reads, and fields of the wrong type. Each test names the mistake it catches."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reasonchat.core.decoder import LineSplitter, StreamDecoder, error_message
from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta, StreamEvent, StreamFailed, Usage
from reasonchat.core.reasoning import ThinkTagSplitter
from reasonchat.text.sanitize import clean, clean_line


def events(lines: list[str]) -> list[StreamEvent]:
    decoder = StreamDecoder()
    out: list[StreamEvent] = []
    for line in lines:
        out += decoder.feed_line(line)
    return out + decoder.finish()


def data(chunk: dict[str, Any]) -> str:
    return "data: " + json.dumps(chunk, ensure_ascii=False)


def delta(model: str = "m1", finish: str | None = None, **fields: Any) -> str:
    return data({"model": model, "choices": [{"delta": fields, "finish_reason": finish}]})


def failure(out: list[StreamEvent]) -> StreamFailed:
    failed = [e for e in out if isinstance(e, StreamFailed)]
    assert len(failed) == 1, out
    return failed[0]


@pytest.mark.parametrize(("payload", "said"), [
    ({"error": {"message": "quota exceeded"}}, "quota exceeded"),      # OpenAI, DeepSeek
    ({"error": {"msg": "rate limited"}}, "rate limited"),               # some gateways
    ({"detail": "model not loaded"}, "model not loaded"),                # vLLM / FastAPI
    ({"error_msg": "Open api daily request limit"}, "Open api daily request limit"),  # Qianfan v1
    ({"error": {"message": "  ", "code": "InvalidParameter"}}, "InvalidParameter"),  # a blank message: the code
    ({"error": {"type": "server_error"}}, "server_error"),
    ({"error": "plain words"}, "plain words"),
    ("a line of text", "a line of text"),
    ({}, "unknown error"),
    ("   ", "unknown error"),
])
def test_each_providers_error_shape_gives_its_words(payload: Any, said: str) -> None:
    assert error_message(payload) == said


def test_an_error_event_mid_stream_carries_its_status_the_model_and_the_usage_so_far() -> None:
    out = events([delta(content="partial"), data({"usage": {"prompt_tokens": 5, "completion_tokens": 2}}),
                  "event: error", 'data: {"error": {"message": "overloaded", "code": 529}}', ""])
    failed = failure(out)
    assert failed == StreamFailed("the provider reported an error mid-stream: overloaded", interrupted=True,
                                  status_code=529, model="m1")
    usage = [e for e in out if isinstance(e, Usage)]
    assert len(usage) == 1 and (usage[0].prompt_tokens, usage[0].completion_tokens) == (5, 2)
    assert out.index(usage[0]) < out.index(failed)  # what it cost is known before it failed


def test_an_error_code_that_is_not_a_number_is_no_status() -> None:
    failed = failure(events(['data: {"error": {"message": "bad", "code": "invalid_api_key"}}']))
    assert failed.status_code is None and failed.message.endswith(": bad")


@pytest.mark.parametrize("lines", [
    ["event:error", 'data:{"error": {"message": "no space after the colons"}}', ""],
    ['error: {"message": "no space after the colons"}'],
])
def test_sse_fields_without_a_space_after_the_colon(lines: list[str]) -> None:
    assert failure(events(lines)).message.endswith(": no space after the colons")


def test_data_without_a_space_and_done_markers_in_both_forms() -> None:
    out = events(["data:" + json.dumps({"choices": [{"delta": {"content": "ok"}, "finish_reason": "stop"}]}),
                  "data: [DONE]", "data:[DONE]", ""])
    assert out == [AnswerDelta("ok"), Finished("stop", None)]


def test_a_done_marker_as_a_multi_line_event_is_still_the_end() -> None:
    out = events([delta(content="ok", finish="stop"), 'data: {"half":', "", "data: [DONE]", ""])
    assert isinstance(out[-1], StreamFailed)  # the broken event is reported…
    out = events([delta(content="ok", finish="stop"), "event: message", "data: [DONE]", ""])
    assert out[-1] == Finished("stop", "m1")  # …and a [DONE] in an event of its own is not a malformed chunk


def test_comments_ids_and_retries_are_not_what_a_non_event_stream_begins_with() -> None:
    failed = failure(events([": keep-alive", "id: 7", "retry: 100"]))  # then the connection closed
    assert failed == StreamFailed("the stream ended before the model finished (connection dropped?)",
                                  interrupted=True, model=None)


def test_a_body_that_is_not_an_event_stream_says_how_it_began() -> None:
    failed = failure(events(["<html><head><title>502 Bad Gateway</title></head>" + "x" * 100]))
    assert failed.message == ("the server did not send an event stream (it began: "
                              f"{clean_line('<html><head><title>502 Bad Gateway</title></head>' + 'x' * 100, 80)})"
                              " — is base_url an OpenAI-compatible /v1 endpoint?")
    assert failed.interrupted is True


def test_a_drop_after_chunks_names_the_model_that_was_answering() -> None:
    assert failure(events([delta(model="deepseek-v4", content="a")])).model == "deepseek-v4"


def test_chunks_are_counted_and_the_first_named_model_is_kept() -> None:
    decoder = StreamDecoder()
    for model in ("", "first", "second"):
        decoder.feed_line(data({"model": model, "choices": [{"delta": {"content": "x"}}]}))
    assert decoder.chunks == 3 and decoder.model == "first"


def test_a_malformed_chunk_is_quoted_as_sent_with_its_own_characters() -> None:
    assert failure(events(['data: ["数据"]'])).message == "the provider sent a malformed chunk: '[\"数据\"]'"
    long = "[" + ", ".join(["1"] * 100) + "]"
    said = failure(events([f"data: {long}"])).message
    assert said == f"the provider sent a malformed chunk: {clean_line(long, 60)!r}"


@pytest.mark.parametrize("fields", [
    {"usage": [1, 2]}, {"usage": "none"},
    {"choices": [{"delta": ["content"]}]}, {"choices": [{"delta": "text"}]},
    {"choices": [{"delta": {"reasoning_content": 7, "content": ["x"]}}]},
    {"choices": [{"delta": {}, "finish_reason": 1}]},
])
def test_fields_of_the_wrong_type_are_ignored_not_taken(fields: dict[str, Any]) -> None:
    decoder = StreamDecoder()
    assert decoder.feed_line(data(fields)) == []
    assert (decoder.usage, decoder.finish_reason) == (None, None)


def test_content_before_the_first_reasoning_field_keeps_its_place() -> None:
    out = events([delta(content="Hello "), delta(reasoning_content="think"), delta(content="answer", finish="stop")])
    at = next(i for i, e in enumerate(out) if isinstance(e, ReasoningDelta))
    before = out[:at]  # what the tag splitter held (the trailing space) comes before the reasoning, not after
    texts = [e.text for e in before if isinstance(e, AnswerDelta)]
    assert len(texts) == len(before) and "".join(texts) == "Hello "
    assert out[at:] == [ReasoningDelta("think"), AnswerDelta("answer"), Finished("stop", "m1")]


def lines_of(*reads: bytes) -> list[str]:
    splitter = LineSplitter()
    out: list[str] = []
    for read in reads:
        out += splitter.feed(read)
    return out + splitter.finish()


def test_line_endings_cut_across_reads_and_invalid_utf8() -> None:
    assert lines_of(b"data: a\r", b"\ndata: b\r", b"data: c\n") == ["data: a", "data: b", "data: c"]
    assert lines_of(b"one\r\rtwo\n\n") == ["one", "", "two", ""]
    assert lines_of(b"bad \xff byte\n") == ["bad \ufffd byte"]
    assert lines_of("数".encode()[:2]) == ["\ufffd"]  # a character cut off by the end of the body
    assert lines_of(b"no ending") == ["no ending"]
    assert lines_of(b"") == []


def test_an_unclosed_think_tag_at_the_end_is_all_reasoning_without_its_trailing_space() -> None:
    splitter = ThinkTagSplitter()
    out = splitter.feed("  <think>\n  let me see  \n") + splitter.finish()
    assert out == [ReasoningDelta("let me see")]
    splitter = ThinkTagSplitter()
    out = splitter.feed("\n\n  plain answer") + splitter.feed(" goes on") + splitter.finish()
    assert "".join(e.text for e in out if isinstance(e, AnswerDelta)) == "plain answer goes on"
    splitter = ThinkTagSplitter()
    out = splitter.feed("<thin") + splitter.feed("g>") + splitter.finish()  # not the tag, after all
    assert "".join(e.text for e in out if isinstance(e, AnswerDelta)) == "<thing>"


def test_clean_turns_crlf_into_a_newline_drops_a_lone_cr_and_clean_line_cuts_only_past_its_limit() -> None:
    assert clean("a\r\nb\rc") == "a\nbc"  # (a lone CR would send the cursor back over the line)
    assert clean_line("x" * 10, 10) == "x" * 10
    assert clean_line("x" * 11, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(("lines", "message", "status"), [
    (["event:error", "data:upstream timed out", ""], "upstream timed out", None),  # an error event in plain words
    (['error:{"message": "no space"}'], "no space", None),
    (["event: error", 'data: {"message": "busy", "code": 503}', ""], "busy", 503),  # not nested under "error"
    (["event: error", 'data: {"error": "quota"}', ""], "quota", None),  # the error is a string, not an object
    (["error: plain text"], "plain text", None),
    (["event: error", 'data: {"error": ["odd"]}', ""], "unknown error", None),
])
def test_every_form_of_a_mid_stream_error(lines: list[str], message: str, status: int | None) -> None:
    failed = failure(events([delta(content="a"), *lines]))
    assert (failed.message, failed.status_code) == (f"the provider reported an error mid-stream: {message}", status)


def test_multi_line_events_one_after_another_and_a_long_broken_one_quoted_to_its_limit() -> None:
    split = ['data: {"choices": [{"delta":', 'data: {"content": "a"}}]}', ""]
    assert [e for e in events(split + split) if isinstance(e, AnswerDelta)] == [AnswerDelta("a"), AnswerDelta("a")]
    broken = '{"x": "' + "y" * 100
    said = failure(events(["data: {", f"data: {broken}", ""])).message
    assert said == f"the provider sent a malformed chunk: {clean_line('{' + chr(10) + broken, 60)!r}"


def test_lines_come_as_soon_as_they_end_and_a_held_cr_ends_the_last_one() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"a\nb\nc") == ["a", "b"]  # before the body ends
    assert splitter.feed(b"d\r") == []
    assert splitter.finish() == ["cd"]
    assert lines_of(b"last\r") == ["last"]


def test_the_tag_splitter_says_nothing_for_nothing_and_lets_go_of_what_is_not_a_tag_at_once() -> None:
    splitter = ThinkTagSplitter()
    assert splitter.feed("<think>x</think>ok") == [ReasoningDelta("x"), AnswerDelta("ok")]
    assert splitter.feed("") == []  # no empty delta in the answer
    assert ThinkTagSplitter().feed("hi") == [AnswerDelta("hi")]  # short, but not the start of <think>: not held
    splitter = ThinkTagSplitter()
    out = splitter.feed("<think>abc  </thi") + splitter.finish()  # a closing tag cut off by the end
    assert "".join(e.text for e in out if isinstance(e, ReasoningDelta)) == "abc  </thi"


def test_answer_now_with_an_empty_question_adds_only_the_note() -> None:
    from reasonchat.core.conversation import answer_now_request

    out = answer_now_request([{"role": "user", "content": ""}], "r")
    assert out[0]["content"].startswith("\n\n---\nYour reasoning")
