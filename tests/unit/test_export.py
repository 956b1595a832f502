"""Markdown and JSON export against golden files; HTML from the model is escaped outside code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reasonchat import export
from reasonchat.atomic import write_atomically
from reasonchat.core.cost import Price
from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta, StreamFailed, Usage
from reasonchat.core.reply import Reply
from reasonchat.store import TranscriptStore

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def build(store: TranscriptStore) -> int:
    conversation = store.create_conversation("deepseek", "deepseek-v4-flash", "")
    store.add_message(conversation, "system", "Answer briefly.")
    store.add_message(conversation, "user", "Show me a <b>bold</b> Python hello & explain")
    price = Price(input=2.0, output=8.0, input_cached=0.5, currency="CNY")
    reply = Reply(model="deepseek-v4-flash", preset="deepseek", started=0.0, price=price)
    thoughts = "The user wants <script>alert(1)</script> no — just code.\n</details> trick"
    reply.apply(ReasoningDelta(thoughts), now=0.5)
    answer = "Here:\n\n```html\n<b>kept in code</b>\n```\n\nInline `<tag>` stays; <i>this</i> is escaped."
    reply.apply(AnswerDelta(answer), now=4.7)
    reply.apply(Usage.from_raw({"prompt_tokens": 12, "completion_tokens": 150, "total_tokens": 162,
                                "prompt_tokens_details": {"cached_tokens": 8},
                                "completion_tokens_details": {"reasoning_tokens": 135}}))
    reply.apply(Finished("stop"))
    store.save_reply(conversation, reply)
    store.add_message(conversation, "user", "Now a long essay")
    stopped = Reply(model="deepseek-v4-flash", preset="deepseek", started=0.0)
    stopped.apply(ReasoningDelta("Planning the essay"), now=0.2)
    stopped.apply(AnswerDelta("Once upon"), now=1.0)
    stopped.stop()
    stopped.reasoning_cut = True
    store.save_reply(conversation, stopped)
    store.add_message(conversation, "user", "again?")
    broken = Reply(model="deepseek-v4-flash", preset="deepseek")
    broken.apply(StreamFailed("authentication failed (HTTP 401)"))
    store.save_reply(conversation, broken)
    # Fixed times, so the output is the same on every machine and every run.
    store.conn.execute("UPDATE conversations SET created_at = 1767225600, updated_at = 1767225900")
    store.conn.execute("UPDATE messages SET created_at = 1767225600 + id, updated_at = 1767225600 + id * 2, "
                       "ttft = round(ttft, 3), reasoning_seconds = round(reasoning_seconds, 3)")
    return conversation


@pytest.fixture
def conversation(tmp_path: Path) -> tuple[TranscriptStore, int]:
    store = TranscriptStore(tmp_path / "s.db")
    return store, build(store)


@pytest.mark.parametrize(("name", "render", "reasoning"), [
    ("conversation.md", export.to_markdown, True),
    ("conversation-no-reasoning.md", export.to_markdown, False),
    ("conversation.json", export.to_json, True),
])
def test_golden(conversation: tuple[TranscriptStore, int], name: str, render: object, reasoning: bool) -> None:
    store, conversation_id = conversation
    text = render(store.require(conversation_id), store.messages(conversation_id), reasoning=reasoning)  # type: ignore[operator]
    if os.environ.get("REASONCHAT_UPDATE_GOLDEN"):
        (GOLDEN / name).write_text(text, encoding="utf-8")
    assert text == (GOLDEN / name).read_text(encoding="utf-8")
    again = render(store.require(conversation_id), store.messages(conversation_id), reasoning=reasoning)  # type: ignore[operator]
    assert again == text


def test_markdown_details_block_and_escaping(conversation: tuple[TranscriptStore, int]) -> None:
    store, conversation_id = conversation
    text = export.to_markdown(store.require(conversation_id), store.messages(conversation_id))
    assert "<details><summary>Thought for 4.2 s · 135 reasoning tokens</summary>" in text
    assert "<script>" not in text
    assert "&lt;script>" in text
    assert text.count("</details>") == 2
    assert "&lt;/details> trick" in text  # the model's own was escaped
    assert "```html\n<b>kept in code</b>\n```" in text
    assert "`<tag>`" in text
    assert "*Stopped by the user" in text
    assert "*Error: authentication failed" in text


def test_json_schema_fields(conversation: tuple[TranscriptStore, int]) -> None:
    store, conversation_id = conversation
    document = json.loads(export.to_json(store.require(conversation_id), store.messages(conversation_id)))
    assert document["schema"] == "reasonchat.conversation"
    assert document["version"] == 1
    first = document["messages"][2]
    assert first["usage"]["reasoning_tokens"] == 135
    assert first["reasoning_seconds"] == 4.2
    assert [m["status"] for m in document["messages"]] == ["complete"] * 3 + ["complete", "stopped", "complete",
                                                                             "error"]


def test_write_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out" / "c.md"
    write_atomically(target, "one")
    write_atomically(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["c.md"]


@pytest.mark.parametrize(("text", "exported"), [
    ("0.11 < 0.80 and a<b, x && y; 3 > 2", "0.11 < 0.80 and a<b, x && y; 3 > 2"),  # not HTML: as written
    ("<b>bold</b> <!-- c --> <?php ?> </details>", "&lt;b>bold&lt;/b> &lt;!-- c --> &lt;?php ?> &lt;/details>"),
    ("&amp; &#169; &#x1F600; & &x", "&amp;amp; &amp;#169; &amp;#x1F600; & &x"),  # entities would be decoded
    ("`<b>` and ``a && <i>``", "`<b>` and ``a && <i>``"),  # inline code as written
    ("````md\n```html\n<b>x</b>\n```\n````\n<b>out</b>", "````md\n```html\n<b>x</b>\n```\n````\n&lt;b>out&lt;/b>"),
    ("    <b>indented code</b>", "    <b>indented code</b>"),
])
def test_only_what_would_open_html_is_escaped(text: str, exported: str) -> None:
    assert export.escape_html(text) == exported


def test_headings_of_the_model_sit_under_the_turn_headings(tmp_path: Path) -> None:
    with TranscriptStore(tmp_path / "h.db") as store:
        conversation = store.create_conversation("p", "m", "q")
        store.add_message(conversation, "user", "# my own heading")
        reply = Reply(model="m")
        reply.apply(ReasoningDelta("## plan"))
        reply.apply(AnswerDelta("# Title\n\nText\n\nSetext\n------\n\n```\n# a comment, not a heading\n```\n"))
        reply.apply(Finished("stop"))
        store.save_reply(conversation, reply)
        text = export.to_markdown(store.require(conversation), store.messages(conversation))
    outline = [line for line in text.split("\n") if line.startswith("#")]
    assert outline == ["# q", "## You", "### my own heading", "## Assistant · m", "#### plan", "### Title",
                       "#### Setext", "# a comment, not a heading"]  # the last one is inside code
    assert "------" not in text
