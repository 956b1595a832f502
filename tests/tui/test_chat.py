"""Pilot tests of the chat screen: the real app, headless, streaming from the demo server over HTTP."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo import scenarios as demo_scenarios
from reasonchat.demo.server import DemoServer
from reasonchat.store import TranscriptStore
from reasonchat.tui.screens.confirm import ConfirmScreen
from reasonchat.tui.screens.history import HistoryScreen
from reasonchat.tui.screens.presets import PresetPicker
from reasonchat.tui.widgets.reasoning_block import ReasoningBlock
from reasonchat.tui.widgets.turn import AssistantTurn
from reasonchat.tui.widgets.user_message import UserMessage
from tests.tui.conftest import assert_agree, screen_up, send, settle, until

SIZE = (110, 40)


def stored(home: Path, conversation_id: int) -> list[Any]:
    with TranscriptStore(home / "reasonchat.db") as store:
        return store.messages(conversation_id)


async def test_send_streams_reasoning_and_answer(app_for: Any, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "What is a CRDT?")
        await settle(pilot)
        turn = app.chat.query_one(AssistantTurn)
        reasoning, answer = demo_scenarios.friendly("What is a CRDT?", 1)
        assert turn.reply.reasoning == reasoning
        assert turn.reply.content == answer
        shown = turn.shown_markdown()
        assert [line for line in shown.split("\n") if line.strip()] == [
            line for line in answer.split("\n") if line.strip()]  # every line, in settled blocks
        assert turn.query("FinalAnswer")
        assert not turn.query("Markdown")  # nothing left live
        block = turn.query_one(ReasoningBlock)
        assert block.collapsed
        assert block.title_text.startswith("▶ Thought for")
        assert "tokens" in block.title_text
        assert "completion" in str(app.chat.query_one("StatusBar").render())
        messages = stored(home, app.session.conversation_id)
        assert [(m.role, m.status) for m in messages] == [("user", "complete"), ("assistant", "complete")]
        assert messages[1].reasoning == reasoning
        assert messages[1].content == answer
        assert_agree(app, home)


async def test_long_answer_settles_block_by_block(app_for: Any) -> None:
    """While a long answer streams, finished blocks become static text and only the last stays live."""
    app = app_for(model="bench-1600@400")  # 1200 tokens of reasoning, then 400 of Markdown over a second
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "a long answer")
        turn = app.chat.query_one(AssistantTurn)
        final = turn.query_one("FinalAnswer")
        await until(pilot, lambda: len(final.blocks) >= 2, timeout=20)  # complete blocks, rendered lines
        assert app.chat.generating
        assert len(turn.query("Markdown")) == 1  # only the block being written is live
        await settle(pilot)
        shown = turn.shown_markdown()
        assert [ln for ln in shown.split("\n") if ln.strip()] == [
            ln for ln in turn.reply.content.split("\n") if ln.strip()]
        assert not turn.query("Markdown")


async def test_expanded_while_thinking_then_escape_stops_and_saves(app_for: Any, home: Path) -> None:
    app = app_for(model="bench-6000@500")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "think long")
        turn = app.chat.query_one(AssistantTurn)
        await until(pilot, lambda: turn.reply.reasoning_chunks > 50)
        block = turn.query_one(ReasoningBlock)
        await until(pilot, lambda: bool(str(block.body.render()).strip()))  # the tail is on screen
        assert not block.collapsed
        assert "Thinking…" in block.title_text
        assert turn.reply.content == ""
        await pilot.press("escape")
        await settle(pilot)
        assert turn.reply.status == "stopped"
        assert "stopped" in str(turn.note.render())
        saved = stored(home, app.session.conversation_id)[-1]
        assert saved.status == "stopped"
        assert saved.reasoning
        assert saved.reasoning == turn.reply.reasoning
        # still usable: the next message streams normally
        app.session.set_model("shape-deepseek")
        await send(pilot, "and now?")
        await settle(pilot)
        assert app.chat.query(AssistantTurn).last().reply.status == "complete"


async def test_ctrl_q_mid_answer_saves_what_arrived_as_stopped(app_for: Any, home: Path) -> None:
    app = app_for(model="bench-6000@500")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "think long")
        turn = app.chat.query_one(AssistantTurn)
        await until(pilot, lambda: turn.reply.reasoning_chunks > 50)
        conversation_id = app.session.conversation_id
        await pilot.press("ctrl+q")
    saved = stored(home, conversation_id)[-1]  # the app has exited: everything it saved is on disk
    assert saved.status == "stopped"
    assert saved.reasoning
    assert turn.reply.reasoning.startswith(saved.reasoning)


async def test_empty_or_blank_prompt_sends_nothing(app_for: Any, server: DemoServer, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        for text in ("", "   ", "\n\n\t"):
            await send(pilot, text)
        assert not server.chat_bodies()
        assert not app.chat.query(AssistantTurn)
        assert not app.chat.generating
        assert app.session.conversation_id is None
        assert app.session.store.list_conversations() == []  # nothing saved either


async def test_ctrl_t_cycles_reasoning_display(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hi")
        await settle(pilot)
        block = app.chat.query_one(ReasoningBlock)
        assert block.collapsed
        assert block.display
        seen = []
        for _ in range(4):
            await pilot.press("ctrl+t")
            await pilot.pause()
            seen.append((app.session.reasoning_mode, block.collapsed, block.display))
        assert seen == [("expanded", False, True), ("collapsed", True, True), ("hidden", True, False),
                        ("auto", True, True)]
        await pilot.click(block.title_line)
        assert not block.collapsed  # one block toggled by itself


async def test_regenerate_replaces_last_answer(app_for: Any, home: Path, server: DemoServer) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "first")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(server.chat_bodies()) == 2)
        await settle(pilot)
        assert len(app.chat.query(AssistantTurn)) == 1
        assert len(app.chat.query(UserMessage)) == 1
        bodies = server.chat_bodies()
        assert bodies[0]["messages"] == bodies[1]["messages"]
        messages = stored(home, app.session.conversation_id)
        assert [m.role for m in messages] == ["user", "assistant"]
        assert messages[1].status == "complete"
        assert_agree(app, home)


async def test_preset_switch_mid_conversation(app_for: Any, server: DemoServer, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "first question")
        await settle(pilot)
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#presets")))
        picker = app.screen
        presets = picker.query_one("#presets")
        presets.highlighted = list(app.session.config.presets).index("b")
        await pilot.press("enter")  # one Enter: that preset, with its own model
        await until(pilot, lambda: not isinstance(app.screen, PresetPicker))
        assert app.session.describe() == ("b", "shape-volcano")
        await send(pilot, "second question")
        await settle(pilot)
        last = server.chat_bodies()[-1]
        assert last["model"] == "shape-volcano"
        assert [m["role"] for m in last["messages"]] == ["user", "assistant", "user"]
        assert "reasoning_content" not in last["messages"][1]
        messages = stored(home, app.session.conversation_id)
        assert [m.model for m in messages if m.role == "assistant"] == ["shape-deepseek", "shape-volcano"]


async def test_history_open_and_continue(app_for: Any, server: DemoServer, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "about gardening")
        await settle(pilot)
        first = app.session.conversation_id
        await pilot.press("ctrl+n")
        await send(pilot, "about databases")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.shown_query == "")
        await pilot.press(*"gardening")
        await until(pilot, lambda: app.screen.shown_query == "gardening")
        await pilot.press("enter")
        await until(pilot, lambda: app.session.conversation_id == first and bool(app.chat.query(UserMessage)))
        assert [u.text for u in app.chat.query(UserMessage)] == ["about gardening"]
        assert_agree(app, home)
        await send(pilot, "follow-up")
        await settle(pilot)
        assert [m["content"] for m in server.chat_bodies()[-1]["messages"] if m["role"] == "user"] == [
            "about gardening", "follow-up"]
        assert len(stored(home, first)) == 4


async def test_export_writes_markdown(app_for: Any, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "export me")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: bool(list((home / "exports").glob("*.md"))))
        files = list((home / "exports").glob("*.md"))
        assert len(files) == 1
        assert files[0].name.startswith(f"reasonchat-{app.session.conversation_id}-export-me")
        text = files[0].read_text(encoding="utf-8")
        assert text.startswith("# export me")
        assert "<details><summary>Thought for" in text


async def test_fault_shows_error_and_app_stays_usable(app_for: Any, home: Path) -> None:
    app = app_for(model="fault-401")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot)
        turn = app.chat.query_one(AssistantTurn)
        note = str(turn.note.render())
        assert turn.reply.status == "error"
        assert "authentication failed (HTTP 401" in note
        assert "\n" not in note
        # The failure is a note where the turn failed, kept; not a toast that fades.
        assert not any("authentication failed" in n.message for n in app._notifications)
        app.session.set_model("fault-drop")
        await send(pilot, "again")
        await settle(pilot)
        dropped = app.chat.query(AssistantTurn).last()
        assert dropped.reply.status == "interrupted"
        assert dropped.reply.content
        assert stored(home, app.session.conversation_id)[-1].status == "interrupted"
        app.session.set_model("shape-deepseek")
        await send(pilot, "third time")
        await settle(pilot)
        assert app.chat.query(AssistantTurn).last().reply.status == "complete"


async def test_edit_last_message_and_resend(app_for: Any, home: Path, server: DemoServer) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "tpyo question")
        await settle(pilot)
        await pilot.press("up")
        prompt = app.chat.prompt
        await until(pilot, lambda: prompt.text == "tpyo question")
        assert "Editing your last message" in str(prompt.border_title)
        assert prompt.has_class("-editing")
        assert all(w.has_class("-editing") for w in app.chat.query("UserMessage, AssistantTurn"))
        assert len(stored(home, app.session.conversation_id)) == 2  # nothing changes before the edit is sent
        await send(pilot, "typo question")
        await settle(pilot)
        messages = stored(home, app.session.conversation_id)
        assert [m.content for m in messages if m.role == "user"] == ["typo question"]
        assert server.chat_bodies()[-1]["messages"] == [{"role": "user", "content": "typo question"}]
        assert not prompt.has_class("-editing")
        assert_agree(app, home)


async def test_missing_key_opens_picker_with_reason(app_for: Any) -> None:
    app = app_for(preset="deepseek")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PresetPicker)
                    and "DEEPSEEK_API_KEY" in str(app.screen.query_one("#reason").render()))


async def test_copy_last_answer_reasoning_turn_and_code_block(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "code please")
        await settle(pilot)
        turn = app.chat.query_one(AssistantTurn)
        await pilot.press("ctrl+y")
        assert app.clipboard == turn.reply.content
        app.action_copy_code()
        assert app.clipboard.startswith("def greet(name: str) -> str:")
        app.action_copy_reasoning()
        assert app.clipboard == turn.reply.reasoning
        app.action_copy_turn()
        assert app.clipboard == f"## You\n\ncode please\n\n## Assistant\n\n{turn.reply.content}\n"


async def test_model_text_controls_never_reach_the_screen(app_for: Any) -> None:
    app = app_for(model="fault-controls")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "x")
        await settle(pilot)
        turn = app.chat.query_one(AssistantTurn)
        shown = turn.shown_markdown()  # the Markdown source the screen renders
        for control in ("\x1b", "\x07", "\u202e"):
            assert control not in shown
        assert "Safe red text" in shown


async def test_history_delete_with_confirmation(app_for: Any, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "delete me later")
        await settle(pilot)
        await app.chat.action_new()
        doomed = app.session.store.last_conversation_id()
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.shown_query == "")
        history = app.screen
        await pilot.press("ctrl+d")
        await screen_up(pilot, ConfirmScreen)
        await pilot.press("n")  # asked, and refused: nothing happens
        await until(pilot, lambda: app.screen is history)
        with TranscriptStore(home / "reasonchat.db") as store:
            assert store.list_conversations()[0].id == doomed
        await pilot.press("ctrl+d")
        await screen_up(pilot, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: app.screen is history and history.query_one("#conversations").option_count == 0)
        with TranscriptStore(home / "reasonchat.db") as store:
            assert store.list_conversations() == []
        assert "No conversations yet" in str(history.query_one("#empty").render())


async def test_thinking_switch_from_palette_and_picker_reaches_the_request(
        app_for: Any, server: DemoServer) -> None:
    extra = (f'[presets.c]\nbase_url = "{server.base_url}"\nmodel = "shape-deepseek"\n'
             'think_on = { thinking = { type = "enabled" } }\nthink_off = { thinking = { type = "disabled" } }\n')
    app = app_for(preset="c", extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "one")
        await settle(pilot)
        app.action_toggle_thinking()  # the palette's "Toggle thinking"
        assert "thinking off" in str(app.chat.query_one("HeaderLine").render())
        await send(pilot, "two")
        await settle(pilot)
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#presets")))
        await pilot.press("ctrl+t")  # the chat's reasoning display key: not thinking, here or anywhere
        assert not app.session.thinking
        await pilot.press("f3")  # thinking back on, in the picker as in the chat: it applies at once
        assert app.session.thinking
        assert "sends: thinking on" in str(app.screen.query_one("#effort").render())  # the line follows
        await pilot.press("escape")  # and leaving with Escape keeps it
        await until(pilot, lambda: not isinstance(app.screen, PresetPicker))
        assert "thinking on" in str(app.chat.query_one("HeaderLine").render())
        await send(pilot, "three")
        await settle(pilot)
    switches = [body.get("thinking") for body in server.chat_bodies()]
    assert switches == [{"type": "enabled"}, {"type": "disabled"}, {"type": "enabled"}]


@pytest.mark.parametrize(("model", "status", "says"), [
    ("fault-500", "error", "the provider failed (HTTP 500"),
    ("fault-malformed", "interrupted", "malformed chunk"),
    ("fault-midstream", "interrupted", "upstream model crashed"),
    ("fault-error-line", "interrupted", "upstream overloaded"),
    ("fault-html", "error", "HTML page"),
    ("fault-no-finish", "interrupted", "ended before the model finished"),
    ("fault-stall", "interrupted", "sent nothing for 1 s"),
    ("fault-length", "complete", "cut at the max tokens limit"),
    ("fault-402", "error", "Insufficient Balance) — top up"),
    ("fault-403", "error", "access denied (HTTP 403"),
    ("fault-404", "error", "not found (HTTP 404"),
    ("fault-422", "error", "rejected the request (HTTP 422"),
    ("fault-429-always", "error", "rate limited (HTTP 429"),
    ("fault-503", "error", "the provider failed (HTTP 503"),
    ("fault-drop", "interrupted", "connection dropped mid-answer"),
    ("fault-400", "error", "Invalid request: messages must not be empty"),
    ("fault-html200", "interrupted", "did not send an event stream"),
    ("fault-moderation", "error", "content moderation blocked"),
    ("fault-context", "error", "conversation is too long for the model"),
])
async def test_fault_matrix_in_the_tui(app_for: Any, server: DemoServer, home: Path, model: str, status: str,
                                       says: str) -> None:
    extra = f'[presets.slow]\nbase_url = "{server.base_url}"\nmodel = "{model}"\ntimeout = 1\nmax_retries = 0\n'
    app = app_for(preset="slow", extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot, timeout=30)
        turn = app.chat.query_one(AssistantTurn)
        note = str(turn.note.render())
        assert turn.reply.status == status
        assert says in note
        assert "\n" not in note.strip()
        saved = stored(home, app.session.conversation_id)[-1]
        assert saved.status == status
        assert saved.content == turn.reply.content
        app.session.set_model("shape-deepseek")  # and the app is still usable
        await send(pilot, "next")
        await settle(pilot)
        assert app.chat.query(AssistantTurn).last().reply.status == "complete"


async def test_keepalive_comments_alone_end_the_wait_in_the_tui(app_for: Any, server: DemoServer,
                                                                home: Path) -> None:
    extra = (f'[presets.queued]\nbase_url = "{server.base_url}"\nmodel = "fault-keepalive"\ntimeout = 0.3\n'
             'max_retries = 0\n')
    app = app_for(preset="queued", extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot, timeout=30)
        turn = app.chat.query_one(AssistantTurn)
        assert turn.reply.status == "interrupted"
        assert "only keep-alive comments for 3 s" in str(turn.note.render())
        assert stored(home, app.session.conversation_id)[-1].status == "interrupted"


@pytest.mark.parametrize("where", ["unresolvable", "closed port"])
async def test_cannot_connect_in_the_tui(app_for: Any, server: DemoServer, home: Path, unresolvable: str,
                                         where: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"127.0.0.1:{sock.getsockname()[1]}"
    host, says = {"unresolvable": (unresolvable, f"cannot resolve host '{unresolvable}'"),
                  "closed port": (closed, "connection refused — is the server running?")}[where]
    extra = f'[presets.gone]\nbase_url = "http://{host}/v1"\nmodel = "m"\nmax_retries = 0\n'
    app = app_for(preset="gone", extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot)
        turn = app.chat.query_one(AssistantTurn)
        assert turn.reply.status == "error"
        assert says in str(turn.note.render())
        assert stored(home, app.session.conversation_id)[-1].status == "error"
        app.session.choose("a", None)  # and the app is still usable
        await send(pilot, "next")
        await settle(pilot)
        assert app.chat.query(AssistantTurn).last().reply.status == "complete"


@pytest.mark.parametrize(("model", "check"), [
    ("fault-big", lambda content: len(content) == 5 * 1024 * 1024),
    ("fault-utf8", lambda content: "bad \ufffd\ufffd bytes" in content),
])
async def test_big_chunk_and_invalid_utf8_in_the_tui(app_for: Any, server: DemoServer, home: Path, model: str,
                                                     check: Any) -> None:
    app = app_for(model=model)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot, timeout=60)
        turn = app.chat.query_one(AssistantTurn)
        assert turn.reply.status == "complete"
        assert check(turn.reply.content)
        assert check(stored(home, app.session.conversation_id)[-1].content)
        app.session.set_model("shape-deepseek")
        await send(pilot, "still usable")
        await settle(pilot)
        assert app.chat.query(AssistantTurn).last().reply.status == "complete"


async def test_one_megabyte_paste(app_for: Any, server: DemoServer, home: Path) -> None:
    from textual import events

    big = ("all work and no play makes a long prompt. " * 25_000)[: 1024 * 1024]
    app = app_for(model="shape-deepseek")
    async with app.run_test(size=SIZE) as pilot:
        prompt = app.chat.query_one("#prompt")
        prompt.text = "Summarise this: "
        prompt.move_cursor(prompt.document.end)
        app.post_message(events.Paste(big))  # as a terminal's bracketed paste arrives
        await until(pilot, lambda: "[pasted 1,048,576 characters #1]" in prompt.text)
        assert len(prompt.text) < 100  # held aside, not laid out in the text area
        await pilot.press("enter")
        await settle(pilot, timeout=60)
        assert app.chat.query_one(AssistantTurn).reply.status == "complete"
        sent = server.chat_bodies()[-1]["messages"][-1]["content"]
        assert sent == "Summarise this: " + big
        saved = stored(home, app.session.conversation_id)
        assert saved[0].content == sent
        assert len(saved) == 2
        assert "characters in all, sent and saved in full" in str(app.chat.query_one(UserMessage).render())
        assert prompt.text == ""
        assert not prompt.message()
        await pilot.press("up")  # edit it: it comes back held aside, not a megabyte in the text area
        await until(pilot, lambda: prompt.text == "[pasted 1,048,592 characters #1]")
        assert prompt.message() == sent
        assert prompt.cursor_location == prompt.document.end
        await pilot.press("enter")
        await settle(pilot, timeout=60)
        assert server.chat_bodies()[-1]["messages"] == [{"role": "user", "content": sent}]
        assert [m.content for m in stored(home, app.session.conversation_id) if m.role == "user"] == [sent]
