"""Property-based tests (hypothesis): any chunking, any field mix, any TOML, any Unicode."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reasonchat import config, export
from reasonchat.core.decoder import LineSplitter, StreamDecoder
from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta, StreamFailed
from reasonchat.core.reply import Reply
from reasonchat.errors import ConfigError
from reasonchat.store import TranscriptStore

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
NOTHING = st.sampled_from(["absent", None, ""])


@st.composite
def deltas(draw: Any) -> list[dict[str, Any]]:
    """A stream's deltas: reasoning in either field, content, and every way of saying 'nothing'."""
    out = []
    for _ in range(draw(st.integers(0, 12))):
        delta: dict[str, Any] = {}
        field = draw(st.sampled_from(["reasoning_content", "reasoning"]))
        for key, value in ((field, draw(st.one_of(TEXT, NOTHING))), ("content", draw(st.one_of(TEXT, NOTHING)))):
            if value != "absent":
                delta[key] = value
        out.append(delta)
    return out


def body_for(items: list[dict[str, Any]], usage_in_own_chunk: bool) -> str:
    lines = [": keep-alive", ""]
    for delta in items:
        lines += ["data: " + json.dumps({"choices": [{"index": 0, "delta": delta, "finish_reason": None}]}), ""]
    usage = {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}
    finishing: dict[str, Any] = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    if not usage_in_own_chunk:
        finishing["usage"] = usage  # DeepSeek: usage rides on the finishing chunk
    lines += ["data: " + json.dumps(finishing), ""]
    if usage_in_own_chunk:
        lines += ["data: " + json.dumps({"choices": [], "usage": usage}), ""]
    lines += ["data: [DONE]", ""]
    return "\n".join(lines)


def decode(body: bytes, cuts: list[int]) -> Reply:
    """Decode `body` as it would arrive in reads cut at `cuts` (anywhere: inside a line, a UTF-8 character, a
    CRLF), through the same splitter and decoder the client uses."""
    splitter, decoder, reply = LineSplitter(), StreamDecoder(), Reply(model="m")
    points = sorted({c % (len(body) + 1) for c in cuts})
    pieces = [body[a:b] for a, b in zip([0, *points], [*points, len(body)], strict=True)]
    lines = [line for piece in pieces for line in splitter.feed(piece)] + splitter.finish()
    for line in lines:
        for event in decoder.feed_line(line):
            reply.apply(event)
    for event in decoder.finish():
        reply.apply(event)
    return reply


def _tagless(text: str | None) -> bool:
    return not text or ("<think>" not in text and "</think>" not in text)


@settings(max_examples=300, deadline=None)
@given(deltas(), st.booleans(), st.lists(st.integers(0, 10_000), max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))
def test_decoder_any_field_mix_any_chunking(items: list[dict[str, Any]], own_chunk: bool, cuts: list[int],
                                            newline: str) -> None:
    assume(all(_tagless(d.get("content")) for d in items))  # inline tags are the splitter's own tests
    body = body_for(items, own_chunk).replace("\n", newline).encode("utf-8")
    reply = decode(body, cuts)
    assert reply.status == "complete"
    assert reply.finish_reason == "stop"
    assert reply.usage is not None
    assert reply.usage.total_tokens == 3
    assert reply.reasoning == "".join((d.get("reasoning_content") or d.get("reasoning") or "") for d in items)
    # Content before the first reasoning field may be the start of an inline <think> block, so its leading
    # whitespace is dropped (the splitter's rule); everything else arrives exactly, in order.
    first = next((i for i, d in enumerate(items) if d.get("reasoning_content") or d.get("reasoning")), len(items))
    before = "".join(d.get("content") or "" for d in items[:first])
    after = "".join(d.get("content") or "" for d in items[first:])
    assert reply.content == before.lstrip() + after


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_as_config_is_a_config_or_one_clear_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        cfg = config.load(path)
    except ConfigError as exc:
        assert "\n" not in str(exc)
        assert str(exc)
    else:
        assert cfg.default_preset in cfg.presets


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["default_preset", "ui", "presets", "junk"]),
                       st.recursive(st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.floats()),
                                    lambda inner: st.dictionaries(st.text(max_size=6), inner, max_size=3),
                                    max_leaves=8), max_size=3))
def test_structured_toml_values(tmp_path: Path, data: dict[str, Any]) -> None:
    import tomli_w

    path = tmp_path / "config.toml"
    try:
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
        tomllib.loads(path.read_text(encoding="utf-8"))
    except (ValueError, TypeError):
        return  # not representable as TOML
    try:
        config.load(path)
    except ConfigError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
       st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_json_export_round_trips_any_unicode(tmp_path: Path, reasoning: str, answer: str) -> None:
    with TranscriptStore(tmp_path / "p.db") as store:
        conversation = store.create_conversation("p", "m", "q")
        store.add_message(conversation, "user", answer + reasoning)
        reply = Reply(model="m")
        reply.apply(ReasoningDelta(reasoning))
        reply.apply(AnswerDelta(answer))
        reply.apply(Finished("stop") if answer else StreamFailed("x"))
        store.save_reply(conversation, reply)
        document = json.loads(export.to_json(store.require(conversation), store.messages(conversation)))
        markdown = export.to_markdown(store.require(conversation), store.messages(conversation))
    assert document["messages"][0]["content"] == answer + reasoning
    assert document["messages"][1]["reasoning"] == reasoning
    assert document["messages"][1]["content"] == answer
    assert "\x1b" not in markdown
    assert "<script" not in markdown.lower().replace("&lt;script", "")
