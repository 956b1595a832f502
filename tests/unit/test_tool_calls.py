"""Tool calls on the wire: the decoder merges `tool_calls` fragments of every shape providers send, the round
goes back to the provider exactly as it came, and an answer's rounds fold into one `Reply`.

The streams below follow what each provider sends (field order, where the id and name come, how the
arguments are cut, where `finish_reason` and the usage are); each is fed through the real line splitter cut
at every few bytes, so a fragment split mid-UTF-8 or mid-escape is covered too.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reasonchat.core.conversation import Message, build_request
from reasonchat.core.decoder import LineSplitter, StreamDecoder
from reasonchat.core.events import (
    AnswerDelta,
    CallChanged,
    Finished,
    NextRound,
    ReasoningDelta,
    StreamEvent,
    StreamFailed,
    ToolCalls,
    Usage,
)
from reasonchat.core.reply import Reply
from reasonchat.core.tool_calls import Call, Round, ToolCall, dumps, loads

ARGS = '{"city": "上海", "unit": "c", "note": "a \\"quoted\\" word \\u00e9"}'


def sse(*chunks: Any, done: bool = True) -> bytes:
    body = "".join(f"data: {json.dumps(c, ensure_ascii=False)}\n\n" for c in chunks)
    return (body + ("data: [DONE]\n\n" if done else "")).encode()


def ch(delta: dict[str, Any] | None = None, finish: Any = ..., usage: Any = None, choices: bool = True,
       **top: Any) -> dict[str, Any]:
    choice: dict[str, Any] = {"index": 0, "delta": delta if delta is not None else {}}
    if finish is not ...:
        choice["finish_reason"] = finish
    body: dict[str, Any] = {"id": "x", "model": "m", "choices": [choice] if choices else [], **top}
    if usage is not None:
        body["usage"] = usage
    return body


def pieces(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


USAGE = {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}

# name -> (stream, the calls it carries)
STREAMS: dict[str, tuple[bytes, list[tuple[str, str, str]]]] = {
    # DeepSeek: reasoning first, id/type/name on the first fragment, arguments in pieces; usage on the finish.
    "deepseek": (sse(
        ch({"role": "assistant", "content": None, "reasoning_content": ""}, None),
        ch({"content": None, "reasoning_content": "I need the weather."}, None),
        ch({"tool_calls": [{"index": 0, "id": "call_00_abc", "type": "function",
                            "function": {"name": "get_weather", "arguments": ""}}]}, None),
        *(ch({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}, None) for p in pieces(ARGS, 4)),
        ch({"content": ""}, "tool_calls", USAGE)), [("call_00_abc", "get_weather", ARGS)]),
    # Qwen on Bailian: an empty-string id and the type repeated on every later fragment, name only first.
    "bailian": (sse(
        ch({"content": None, "role": "assistant", "tool_calls": [
            {"index": 0, "id": "call_q1", "type": "function", "function": {"name": "get_weather", "arguments": ""}}]},
           None),
        *(ch({"tool_calls": [{"index": 0, "id": "", "type": "function", "function": {"arguments": p}}]}, None)
          for p in pieces(ARGS, 3)),
        ch({"content": ""}, "tool_calls"),
        ch(choices=False, usage=USAGE)), [("call_q1", "get_weather", ARGS)]),
    # GLM: the whole call in one chunk, then a finish chunk.
    "glm": (sse(
        ch({"role": "assistant", "reasoning_content": "Call it."}),
        ch({"tool_calls": [{"id": "call_glm", "index": 0, "type": "function",
                            "function": {"name": "get_weather", "arguments": ARGS}}]}),
        ch({}, "tool_calls", USAGE)), [("call_glm", "get_weather", ARGS)]),
    # Volcano Ark (Doubao): two calls in one chunk, usage in a `choices: []` chunk.
    "volcano": (sse(
        ch({"content": "", "role": "assistant", "reasoning_content": "Both."}, None),
        ch({"tool_calls": [
            {"index": 0, "id": "call_a", "type": "function", "function": {"name": "get_weather", "arguments": ARGS}},
            {"index": 1, "id": "call_b", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]},
           None),
        ch({}, "tool_calls"),
        ch(choices=False, usage=USAGE)), [("call_a", "get_weather", ARGS), ("call_b", "get_time", "{}")]),
    # vLLM (hermes parser): arguments character by character; no finish_reason key until the last chunk.
    "vllm": (sse(
        ch({"role": "assistant", "content": ""}),
        ch({"reasoning_content": "Let me call."}),
        ch({"tool_calls": [{"id": "chatcmpl-tool-1", "type": "function", "index": 0,
                            "function": {"name": "get_weather"}}]}),
        *(ch({"tool_calls": [{"index": 0, "function": {"arguments": c}}]}) for c in ARGS),
        ch({"content": ""}, "tool_calls"),
        ch(choices=False, usage=USAGE)), [("chatcmpl-tool-1", "get_weather", ARGS)]),
    # Kimi: ids like `functions.NAME:0`, content before and between the calls, two calls streamed in turn.
    "kimi": (sse(
        ch({"role": "assistant", "content": "Looking it up. "}, None),
        ch({"tool_calls": [{"index": 0, "id": "functions.get_weather:0", "type": "function",
                            "function": {"name": "get_weather", "arguments": ""}}]}, None),
        *(ch({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}, None) for p in pieces(ARGS, 7)),
        ch({"content": "And the time. "}, None),
        ch({"tool_calls": [{"index": 1, "id": "functions.get_time:1", "type": "function",
                            "function": {"name": "get_time", "arguments": "{}"}}]}, None),
        ch({}, "tool_calls", USAGE)), [("functions.get_weather:0", "get_weather", ARGS),
                                       ("functions.get_time:1", "get_time", "{}")]),
    # SiliconFlow: two chunks carry a finish_reason ("tool_calls", then "stop" with the usage).
    "siliconflow": (sse(
        ch({"role": "assistant", "content": "", "reasoning_content": "Calling."}, None),
        ch({"tool_calls": [{"index": 0, "id": "019a-call", "type": "function",
                            "function": {"name": "get_weather", "arguments": ARGS}}]}, None),
        ch({}, "tool_calls"),
        ch({}, "stop", USAGE)), [("019a-call", "get_weather", ARGS)]),
    # Qianfan / older OpenAI-compatible servers: no `index` at all; a new id starts a new call.
    "qianfan": (sse(
        ch({"role": "assistant", "tool_calls": [{"id": "tc_1", "type": "function",
                                                  "function": {"name": "get_weather", "arguments": ARGS[:9]}}]}, None),
        ch({"tool_calls": [{"function": {"arguments": ARGS[9:]}}]}, None),
        ch({"tool_calls": [{"id": "tc_2", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}]},
           None),
        ch({}, "tool_calls", USAGE)), [("tc_1", "get_weather", ARGS), ("tc_2", "get_time", "{}")]),
    # Ollama: every call of the round at `index: 0`, each whole in its own chunk with its own id
    # (ollama/ollama#15457; merged by index alone, they become one call with both argument texts).
    "ollama": (sse(
        ch({"role": "assistant", "content": "", "reasoning": "Two lookups."}, None),
        ch({"tool_calls": [{"id": "call_3vj", "index": 0, "type": "function",
                            "function": {"name": "get_weather", "arguments": ARGS}}]}, None),
        ch({"tool_calls": [{"id": "call_8kq", "index": 0, "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "北京"}'}}]}, None),
        ch({}, "tool_calls", USAGE)), [("call_3vj", "get_weather", ARGS), ("call_8kq", "get_weather",
                                                                             '{"city": "北京"}')]),
    # A gateway that reuses `index: 0` for the second call, whose arguments then come in pieces with no id:
    # they continue the second call, not the first.
    "gateway": (sse(
        ch({"tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                            "function": {"name": "get_weather", "arguments": ""}}]}, None),
        *(ch({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}, None) for p in pieces(ARGS, 5)),
        ch({"tool_calls": [{"index": 0, "id": "call_b", "type": "function",
                            "function": {"name": "get_time", "arguments": ""}}]}, None),
        *(ch({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}, None) for p in pieces('{"tz": "UTC"}', 2)),
        ch({}, "tool_calls", USAGE)), [("call_a", "get_weather", ARGS), ("call_b", "get_time", '{"tz": "UTC"}')]),
    # vLLM builds that repeat the same id (and the name) on every fragment: one call.
    "vllm-same-id": (sse(
        *(ch({"tool_calls": [{"index": 0, "id": "chatcmpl-tool-9", "type": "function",
                              "function": {"name": "get_weather", "arguments": p}}]}) for p in pieces(ARGS, 6)),
        ch({}, "tool_calls", USAGE)), [("chatcmpl-tool-9", "get_weather", ARGS)]),
    # Cumulative arguments (DeepSeek and Qianfan at times — hermes-agent#35592): every chunk holds all the
    # arguments so far, with the id and name again; appended, they were `{"ci{"city": …`.
    "cumulative": (sse(
        *(ch({"tool_calls": [{"index": 0, "id": "call_cum", "type": "function",
                              "function": {"name": "get_weather", "arguments": ARGS[:end]}}]}, None)
          for end in range(5, len(ARGS) + 5, 5)),
        ch({}, "tool_calls", USAGE)), [("call_cum", "get_weather", ARGS)]),
    # A GLM-style local server: the arguments in pieces, then the whole payload once more before the finish
    # (opencode#17339); the copy is dropped.
    "resend": (sse(
        ch({"tool_calls": [{"index": 0, "id": "call_glm2", "type": "function",
                            "function": {"name": "get_weather", "arguments": ""}}]}, None),
        *(ch({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}, None) for p in pieces(ARGS, 9)),
        ch({"tool_calls": [{"index": 0, "function": {"arguments": ARGS}}]}, None),
        ch({}, "tool_calls", USAGE)), [("call_glm2", "get_weather", ARGS)]),
    # Two calls of the same tool, no ids, both at `index: 0`, each whole: two calls.
    "same-tool-twice": (sse(
        ch({"tool_calls": [{"index": 0, "function": {"name": "get_weather", "arguments": '{"city": "A"}'}}]}, None),
        ch({"tool_calls": [{"index": 0, "function": {"name": "get_weather", "arguments": '{"city": "B"}'}}]}, None),
        ch({}, "tool_calls", USAGE)), [("call_0", "get_weather", '{"city": "A"}'),
                                       ("call_1", "get_weather", '{"city": "B"}')]),
    # No ids at all and every call at `index: 0`, each whole: another tool's name after whole arguments is
    # another call (ids are made up, in order).
    "no-ids": (sse(
        ch({"tool_calls": [{"index": 0, "function": {"name": "get_weather", "arguments": ARGS}}]}, None),
        ch({"tool_calls": [{"index": 0, "function": {"name": "get_time", "arguments": "{}"}}]}, None),
        ch({}, "tool_calls", USAGE)), [("call_0", "get_weather", ARGS), ("call_1", "get_time", "{}")]),
}


def decode_bytes(body: bytes, cut: int) -> list[StreamEvent]:
    splitter, decoder, out = LineSplitter(), StreamDecoder(), []
    for start in range(0, len(body), cut):
        for line in splitter.feed(body[start:start + cut]):
            out += decoder.feed_line(line)
    for line in splitter.finish():
        out += decoder.feed_line(line)
    return out + decoder.finish()


@pytest.mark.parametrize("cut", [1, 3, 17, 4096])
@pytest.mark.parametrize("provider", sorted(STREAMS))
def test_every_shape_of_tool_call_stream_merges_into_the_calls_as_sent(provider: str, cut: int) -> None:
    body, expected = STREAMS[provider]
    events = decode_bytes(body, cut)
    calls = [e for e in events if isinstance(e, ToolCalls)]
    assert len(calls) == 1, events
    assert [(c.id, c.name, c.arguments) for c in calls[0].calls] == expected
    assert isinstance(events[-1], Finished)
    assert events.index(calls[0]) == len(events) - 2, "the calls come just before the finish"
    usage = [e for e in events if isinstance(e, Usage)]
    assert usage and usage[-1].prompt_tokens == 10
    for call in calls[0].calls:
        json.loads(call.arguments)


def test_the_text_around_the_calls_is_kept_in_order() -> None:
    events = decode_bytes(STREAMS["kimi"][0], 5)
    answer = "".join(e.text for e in events if isinstance(e, AnswerDelta))
    assert answer == "Looking it up. And the time. "


def test_a_stream_cut_mid_call_is_interrupted_not_a_call() -> None:
    body = STREAMS["deepseek"][0]
    cut = body[: body.index(b'"tool_calls"', body.index(b"arguments")) + 40]
    events = decode_bytes(cut.rsplit(b"\n\n", 1)[0] + b"\n\n", 64)
    assert not any(isinstance(e, ToolCalls) for e in events)
    assert isinstance(events[-1], StreamFailed) and events[-1].interrupted


def test_a_name_sent_in_pieces_is_one_name() -> None:
    body = sse(ch({"tool_calls": [{"index": 0, "function": {"name": "get_"}}]}),
               ch({"tool_calls": [{"index": 0, "function": {"name": "weather", "arguments": "{}"}}]}),
               ch({}, "tool_calls"))
    (call,) = next(e for e in decode_bytes(body, 4096) if isinstance(e, ToolCalls)).calls
    assert (call.name, call.arguments) == ("get_weather", "{}")


def test_arguments_sent_as_an_object_and_a_name_sent_again_whole() -> None:
    body = sse(ch({"tool_calls": [{"index": 0, "id": "c1", "function": {"name": "f", "arguments": {"a": 1}}}]}),
               ch({"tool_calls": [{"index": 0, "function": {"name": "f"}}]}), ch({}, "tool_calls"))
    (call,) = next(e for e in decode_bytes(body, 4096) if isinstance(e, ToolCalls)).calls
    assert (call.name, json.loads(call.arguments)) == ("f", {"a": 1})


def test_a_completion_not_streamed_carries_its_calls_too() -> None:
    from reasonchat.core.client import _from_completion

    body = {"model": "m", "choices": [{"finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": None, "reasoning_content": "r",
        "tool_calls": [{"id": "c9", "type": "function", "function": {"name": "g", "arguments": '{"x":1}'}}]}}]}
    events = _from_completion(body)
    (call,) = next(e for e in events if isinstance(e, ToolCalls)).calls
    assert (call.id, call.name, call.arguments) == ("c9", "g", '{"x":1}')


def test_a_round_goes_back_exactly_as_it_came() -> None:
    odd = '{ "a" :1,"b":"\\u4e0a" }'  # spacing and escapes as the model wrote them: never re-serialised
    call = Call(ToolCall("call_1", "get", odd), "srv", "get", "done", True, "result text")
    declined = Call(ToolCall("call_2", "put", "{}"), "srv", "put", "declined", False, "The user declined it.")
    done = Round("thinking", "", [call, declined])
    assistant, first, second = done.wire(keep_reasoning=True)
    assert assistant == {"role": "assistant", "content": None, "reasoning_content": "thinking", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "get", "arguments": odd}},
        {"id": "call_2", "type": "function", "function": {"name": "put", "arguments": "{}"}}]}
    assert first == {"role": "tool", "tool_call_id": "call_1", "content": "result text"}
    assert second["tool_call_id"] == "call_2" and "declined" in second["content"]
    assert "reasoning_content" not in done.wire(keep_reasoning=False)[0]
    assert Round("", "", [call]).wire(keep_reasoning=True)[0]["reasoning_content"] == "", \
        "DeepSeek wants the key even when the reasoning was empty"
    again = loads(dumps([done]))
    assert again[0].wire(True) == done.wire(True)


def test_history_sends_every_tool_turn_back_with_its_reasoning_when_the_provider_requires_it() -> None:
    call = Call(ToolCall("c1", "clock", "{}"), "demo", "clock", "done", True, "12:00")
    history = [Message("user", "time?"),
               Message("assistant", "It is noon.", "final thought", rounds=[Round("first thought", "", [call])]),
               Message("user", "thanks"), Message("assistant", "You're welcome.", "plain thought")]
    kept = build_request(history, "again", tool_reasoning=True)
    assert [m["role"] for m in kept] == ["user", "assistant", "tool", "assistant", "user", "assistant", "user"]
    assert kept[1]["reasoning_content"] == "first thought" and kept[1]["tool_calls"][0]["id"] == "c1"
    assert kept[2] == {"role": "tool", "tool_call_id": "c1", "content": "12:00"}
    assert kept[3]["reasoning_content"] == "final thought", "the final message of a tool turn carries it too"
    assert "reasoning_content" not in kept[5], "a turn without calls does not"
    plain = build_request(history, "again", tool_reasoning=False)
    assert all("reasoning_content" not in m for m in plain)


def test_the_rounds_fold_into_one_reply() -> None:
    reply = Reply(model="m")
    call = ToolCall("c1", "clock", "{}")
    reply.apply(ReasoningDelta("first"), now=1.0)
    reply.apply(Usage(10, 5, 15, 3), now=1.1)
    reply.apply(ToolCalls((call,)), now=1.5)
    running = Call(call, "demo", "clock", "running", True)
    reply.apply(CallChanged(running))
    assert reply.calls[0] is running
    running.state, running.result = "done", "12:00"
    reply.apply(CallChanged(running))
    reply.apply(NextRound())
    reply.apply(ReasoningDelta("second"), now=9.0)
    reply.apply(AnswerDelta("It is noon."), now=9.5)
    reply.apply(Usage(30, 7, 37, 2))
    reply.apply(Finished("stop"))
    assert [r.reasoning for r in reply.rounds] == ["first"]
    assert reply.rounds[0].reasoning_seconds == pytest.approx(0.5), "the calls' time is not thinking"
    assert (reply.reasoning, reply.content, reply.status) == ("second", "It is noon.", "complete")
    assert reply.usage is not None
    assert (reply.usage.prompt_tokens, reply.usage.completion_tokens, reply.usage.reasoning_tokens) == (40, 12, 5)
    assert len(reply.usage.raw["requests"]) == 2
    assert [c.result for c in reply.all_calls] == ["12:00"]


def test_a_reply_stopped_during_a_call_marks_it_stopped() -> None:
    reply = Reply(model="m")
    reply.apply(ToolCalls((ToolCall("c1", "wait", "{}"),)))
    reply.stop()
    assert reply.calls[0].state == "stopped"


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=12)


def assembled(fragments: list[str], ident_every_time: bool = False) -> str:
    from reasonchat.core.tool_calls import CallAssembler

    assembler = CallAssembler()
    for i, text in enumerate(fragments):
        function: dict[str, Any] = {"arguments": text}
        fragment: dict[str, Any] = {"index": 0, "function": function}
        if i == 0 or ident_every_time:
            fragment["id"] = "call_x"
            function["name"] = "f"
        assembler.feed([fragment])
    (call,) = assembler.calls()
    return call.arguments


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(st.sampled_from(["a", "{", "q", '{"']), _JSON, min_size=1, max_size=3),
       cuts=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=40),
       nested=st.booleans())
def test_arguments_arrive_exactly_however_they_are_cut_and_whether_or_not_they_are_resent(
        value: dict[str, Any], cuts: list[int], nested: bool) -> None:
    """Cut anywhere, the text is exactly what was sent — even an object whose nested object begins as it does
    (the shape the resend rules could mistake for a resend) — and sent cumulatively, it is the same text."""
    text = json.dumps({next(iter(value)): value} if nested else value, ensure_ascii=False)
    fragments, at = [], 0
    for cut in cuts:
        if at >= len(text):
            break
        fragments.append(text[at:at + cut])
        at += cut
    fragments.append(text[at:])
    assert assembled(fragments) == text
    ends = [sum(len(f) for f in fragments[:i + 1]) for i in range(len(fragments))]
    assert assembled([text[:end] for end in ends], ident_every_time=True) == text
