"""Effort, cost and the thinking rescues in the TUI: the real app against the demo server over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import OptionList

from reasonchat.demo.server import DemoServer
from reasonchat.store import TranscriptStore
from reasonchat.tui.screens.history import HistoryScreen
from reasonchat.tui.screens.presets import PresetPicker
from reasonchat.tui.widgets.header_line import HeaderLine
from reasonchat.tui.widgets.reasoning_block import ReasoningBlock
from reasonchat.tui.widgets.turn import AssistantTurn
from tests.tui.conftest import assert_agree, screen_up, send, settle, until

SIZE = (120, 40)
PRICED = 'price = { input = 2.0, output = 8.0, currency = "CNY" }\n'


def header(app: Any) -> str:
    return str(app.chat.query_one(HeaderLine).render())


def status(app: Any) -> str:
    return app.chat.status.text


async def test_effort_key_steps_levels_shown_as_sent_and_sent(app_for: Any, server: DemoServer) -> None:
    app = app_for()  # preset "a" is one of the user's own, with no effort_map: reasoning_effort as asked
    async with app.run_test(size=SIZE) as pilot:
        assert "thinking on" in header(app) and "effort" not in header(app)
        seen = []
        for _ in range(5):
            await pilot.press("ctrl+g")
            await pilot.pause()
            seen.append(app.session.effort)
        assert seen == ["low", "medium", "high", "max", None]
        await pilot.press("ctrl+g", "ctrl+g")  # medium
        await pilot.pause()
        assert "effort medium" in header(app)
        await send(pilot, "think a little")
        await settle(pilot)
        assert server.chat_bodies()[-1]["reasoning_effort"] == "medium"  # a new preset: reasoning_effort as is
        turn = app.chat.query_one(AssistantTurn)
        assert turn.reply.sent == "thinking on · effort medium"


async def test_mapped_effort_header_and_body(home: Path, server: DemoServer, app_for: Any) -> None:
    extra = ('effort_map = { low = { reasoning_effort = "low" }, high = { reasoning_effort = "high" } }\n')
    app = app_for(preset="b", extra=extra)  # the map lands on [presets.b], the last table of the config
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g", "ctrl+g")
        await pilot.pause()
        assert "effort medium→high" in header(app)
        await send(pilot, "q")
        await settle(pilot)
        assert server.chat_bodies()[-1]["reasoning_effort"] == "high"


async def test_cost_per_turn_and_per_conversation(app_for: Any, home: Path) -> None:
    app = app_for(extra=PRICED)  # priced on preset b; switch to it
    async with app.run_test(size=SIZE) as pilot:
        app.session.choose("b", None)
        app.chat.refresh_header()
        await send(pilot, "what does it cost?")
        await settle(pilot)
        reply = app.chat.query_one(AssistantTurn).reply
        assert reply.cost is not None and reply.cost.currency == "CNY"
        assert f"cost {reply.cost}" in status(app)
        assert str(reply.cost) in header(app)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.query_one(OptionList)
                    .option_count > 0)
        row = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert str(reply.cost) in row
        await pilot.press("escape")
        with TranscriptStore(home / "reasonchat.db") as store:
            summary = store.require(app.session.conversation_id)
            assert summary.cost == reply.cost.amount and store.messages(summary.id)[-1].cost == reply.cost.amount
        assert_agree(app, home)


async def test_answer_now_cuts_the_thinking_and_asks_again_without_it(app_for: Any, server: DemoServer,
                                                                      home: Path) -> None:
    app = app_for(model="think-slow", preset="b", extra='think_off = { thinking = { type = "disabled" } }\n')
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "a hard question")
        turn = app.chat.query_one(AssistantTurn)
        await until(pilot, lambda: turn.reply.reasoning_chunks > 20)
        assert "ctrl+f answers now" in status(app)
        before = len(server.chat_bodies())
        await pilot.press("ctrl+f")
        await settle(pilot, timeout=30)
        again = server.chat_bodies()[before]
        assert again["thinking"] == {"type": "disabled"}
        question = again["messages"][-1]["content"]
        assert question.startswith("a hard question") and "cut short" in question
        first_line = turn.reply.reasoning.strip().splitlines()[0]
        assert f"> {first_line}" in question  # the reasoning so far goes with it, quoted
        assert turn.reply.reasoning_cut and turn.reply.content and turn.reply.status == "complete"
        assert turn.query_one(ReasoningBlock).title_text.endswith("cut short")
        with TranscriptStore(home / "reasonchat.db") as store:
            saved = store.messages(app.session.conversation_id)[-1]
        assert saved.reasoning_cut and saved.content == turn.reply.content
        assert saved.reasoning == turn.reply.reasoning
        assert_agree(app, home)


async def test_ctrl_f_is_the_prompts_own_once_the_answer_streams(app_for: Any) -> None:
    """Ours while the model thinks, the prompt's once the answer streams: each phase held open by a stream
    that stalls in it (no timing window to catch)."""
    app = app_for(model="fault-stall-thinking")  # some reasoning, then the stream stalls, open
    async with app.run_test(size=SIZE) as pilot:
        assert app.chat.check_action("answer_now", ()) is False  # nothing streaming
        await send(pilot, "q")
        await until(pilot, lambda: bool(app.chat.turns()) and bool(app.chat.turns()[-1].reply.reasoning))
        assert app.chat.generating and app.chat.check_action("answer_now", ()) is True
        await pilot.press("escape")
        await settle(pilot)
        app.session.choose("a", "fault-stall")  # all the reasoning and half the answer, then it stalls
        await send(pilot, "q again")
        await until(pilot, lambda: len(app.chat.turns()) == 2 and bool(app.chat.turns()[-1].reply.answer_chunks))
        assert app.chat.generating and app.chat.check_action("answer_now", ()) is False
        await pilot.press("escape")
        await settle(pilot)
        assert app.chat.check_action("answer_now", ()) is False
        assert not any(turn.reply.reasoning_cut for turn in app.chat.query(AssistantTurn))


async def test_a_budget_that_ran_out_says_so_and_ctrl_r_retries_with_room(app_for: Any, server: DemoServer) -> None:
    app = app_for(model="think-long")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")
        await screen_up(pilot, PresetPicker)
        app.screen.query_one("#max-tokens").value = "1000"
        await pilot.press("ctrl+g")  # the picker steps the effort too, and says what will be sent
        await pilot.pause()
        assert "effort low" in str(app.screen.query_one("#effort").render())
        await pilot.press("escape")
        await send(pilot, "why?")
        await settle(pilot)
        assert server.chat_bodies()[-1]["max_tokens"] == 1000
        assert "reasoning used 1000 of 1000 tokens before the answer began" in status(app)
        assert "ctrl+r tries again with max_tokens 2000" in status(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert server.chat_bodies()[-1]["max_tokens"] == 2000
        await send(pilot, "and now?")
        await settle(pilot)
        assert server.chat_bodies()[-1]["max_tokens"] == 1000  # the larger room was for the retry alone


async def test_thinking_ignored_is_said(app_for: Any) -> None:
    app = app_for(model="think-ignores-off", preset="b", extra='think_off = { thinking = { type = "disabled" } }\n')
    async with app.run_test(size=SIZE) as pilot:
        app.action_toggle_thinking()
        await send(pilot, "no thinking please")
        await settle(pilot)
        assert "reasoned anyway" in status(app)


async def test_conversation_settings_from_the_picker_are_kept_with_it(home: Path, app_for: Any,
                                                                      server: DemoServer) -> None:
    extra = '\n[roles.terse]\nsystem = "Answer in one line."\ntemperature = 0.2\n'
    app = app_for(extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")
        await screen_up(pilot, PresetPicker)
        app.screen.query_one("#role").value = "terse"
        app.screen.query_one("#max-tokens").value = "900"
        app.screen.query_one("#temperature").value = "9"  # out of range: refused, said
        await pilot.pause()
        assert "from 0 to 2" in str(app.screen.query_one("#reason").render())
        await pilot.press("escape")
        assert "role terse" in header(app)
        await send(pilot, "hi")
        await settle(pilot)
        body = server.chat_bodies()[-1]
        assert body["messages"][0] == {"role": "system", "content": "Answer in one line."}
        assert (body["temperature"], body["max_tokens"]) == (0.2, 900)
        conversation = app.session.conversation_id
        with TranscriptStore(home / "reasonchat.db") as store:
            assert store.settings(conversation) == {"role": "terse", "max_tokens": 900}
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "role terse" not in header(app)  # a new conversation starts without them
        await app.chat.open_conversation(conversation)
        await pilot.pause()
        assert "role terse" in header(app)
        assert_agree(app, home)
