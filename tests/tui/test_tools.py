"""Tools in the TUI, driven by pilots against the demo server and real MCP servers over stdio: the approval
question (y, a, n, Escape), the rounds and calls as the answer shows them, Escape during a call, F4, a reopened
tool conversation, and a compare whose columns call tools — with screen, session and store agreeing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from reasonchat import config
from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.store import TranscriptStore
from reasonchat.tui.app import make_app
from reasonchat.tui.screens.approval import ApprovalScreen
from reasonchat.tui.widgets.stored_turn import StoredTurn
from reasonchat.tui.widgets.tool_call import ToolCallLine
from reasonchat.tui.widgets.tool_round import ToolRound
from reasonchat.tui.widgets.turn import AssistantTurn
from tests.tui.conftest import assert_agree, screen_up, send, settle, terminal_output, until, write_config

SIZE = (120, 40)
PROBE = Path(__file__).parent.parent / "fixtures" / "mcp" / "probe_server.py"


def tools_config(server: DemoServer, model: str = "demo@0", approve: str = "ask") -> str:
    return (f'\n[presets.t]\nbase_url = "{server.base_url}"\nmodel = "{model}"\ntool_reasoning = true\n'
            f'[mcp.demo]\ncommand = "{sys.executable}"\nargs = ["-m", "reasonchat.demo.mcp_server"]\n'
            f'approve = "{approve}"\n'
            f'[mcp.probe]\ncommand = "{sys.executable}"\nargs = ["{PROBE}"]\napprove = "auto"\n')


def app(home: Path, server: DemoServer, model: str = "demo@0", approve: str = "ask") -> Any:
    cfg = write_config(home, server, tools_config(server, model, approve))
    return make_app(cfg, ProviderOptions(preset="t"), remember=False)


async def asked(pilot: Any, armed: bool = True) -> ApprovalScreen:
    """The approval question, once its keys answer (`armed`)."""
    screen = await screen_up(pilot, ApprovalScreen, timeout=30)
    assert isinstance(screen, ApprovalScreen)
    if armed:
        await until(pilot, lambda: screen.armed)
    return screen


async def decided(pilot: Any, question: str, key: str) -> None:
    """Ask `question`, answer its tool call's question with `key`, and wait for the answer."""
    await send(pilot, question)
    await asked(pilot)
    await pilot.press(key)
    await settle(pilot, 30)


def stored_answer(home: Path, app: Any) -> Any:
    with TranscriptStore(home / "reasonchat.db") as store:
        return [m for m in store.messages(app.session.conversation_id) if m.role == "assistant"][-1]


async def test_y_allows_the_call_and_the_answer_shows_its_rounds(home: Path, server: DemoServer) -> None:
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "What time is it in Asia/Tokyo and what is 6*7?")
        screen = await asked(pilot)
        question = " ".join(str(w.render()) for w in screen.query("Static"))
        assert "demo · get_time" in question and '"timezone": "Asia/Tokyo"' in question
        _, shown = terminal_output(application)
        assert "What time is it in Asia/Tokyo" in shown and "Allow this tool call?" in shown, \
            "the question shows over the conversation it is about, not instead of it"
        await pilot.press("y")
        screen = await asked(pilot)  # the second call asks in its turn
        assert screen.call.tool == "calculate"
        await pilot.press("y")
        await settle(pilot, 30)
        turn = application.chat.query(AssistantTurn).last()
        (done,) = turn.query(ToolRound)
        lines = [str(line.title_line.render()) for line in done.query(ToolCallLine)]
        assert "demo · get_time" in lines[0] and "— done" in lines[0]
        assert "demo · calculate" in lines[1] and "· 42" in lines[1]
        assert done.reasoning.title_text.startswith("▶ Thought for"), "a finished round's reasoning closes"
        assert "**42**" in turn.reply.content
        stored = stored_answer(home, application)
        assert [c.approved for c in stored.rounds[0].calls] == [True, True]
        assert stored.content == turn.reply.content
        assert_agree(application, home)
        # a call opens to its full arguments and result
        line = done.query(ToolCallLine).last()
        await pilot.click(line.title_line)
        await pilot.pause()
        assert line.has_class("-open") and "42" in str(line.details.render())


async def test_keys_typed_as_the_question_appears_are_not_an_answer(home: Path, server: DemoServer,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The model asks while the user types the next message: the "y" and "a" of "yeah" allow nothing, and
    the word goes on into the prompt; once armed (the line of keys shows), `y` answers."""
    monkeypatch.setattr(ApprovalScreen, "arms_after", 60.0)  # (armed by hand below, whatever the machine's speed)
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "what is 6*7?")
        screen = await asked(pilot, armed=False)
        await pilot.press("y", "e", "a", "h", "escape", "n")
        await pilot.pause()
        assert application.screen is screen and not screen.armed, "no key typed before it armed answered"
        assert application.chat.prompt.text == "yeah" + "n"
        assert "keys answer in a moment" in str(screen.query_one("#keys").render())
        screen.arm()
        assert "y = allow once" in str(screen.query_one("#keys").render())
        await pilot.press("y")
        await settle(pilot, 30)
        assert "**42**" in application.chat.query(AssistantTurn).last().reply.content
        assert application.chat.prompt.text == "yeahn", "the draft outlived the question"
        assert_agree(application, home)


async def test_while_the_servers_start_the_status_line_says_so_and_the_first_token_is_timed_after(
        home: Path, server: DemoServer) -> None:
    import time

    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        sent_at = time.monotonic()
        await send(pilot, "what is 6*7?")
        await until(pilot, lambda: "waiting for the tools' servers to start (demo, probe)"
                    in application.chat.status.text, timeout=10)
        await asked(pilot)
        reply = application.chat.query(AssistantTurn).last().reply
        box = application.tooling._box
        slowest = max(s.started_in or 0.0 for s in box.servers.values())
        assert reply.started - sent_at >= slowest, "the first token is timed from the request, not the servers"
        await pilot.press("y")
        await settle(pilot, 30)
        assert "waiting for the tools' servers" not in application.chat.status.text


async def test_a_allows_the_tool_until_the_app_quits(home: Path, server: DemoServer) -> None:
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await decided(pilot, "what is 6*7?", "a")
        await send(pilot, "and what is 2**10?")
        await settle(pilot, 30)
        assert not isinstance(application.screen, ApprovalScreen)
        assert "**1024**" in application.chat.query(AssistantTurn).last().reply.content
        assert_agree(application, home)


@pytest.mark.parametrize("key", ["n", "escape"])
async def test_n_or_escape_declines_and_the_model_is_told(home: Path, server: DemoServer, key: str) -> None:
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await decided(pilot, "what is 6*7?", key)
        turn = application.chat.query(AssistantTurn).last()
        assert turn.reply.status == "complete", "declining a call does not stop the answer"
        assert "declined" in turn.reply.content
        told = server.chat_bodies()[-1]["messages"][-1]
        assert told["role"] == "tool" and "declined" in told["content"]
        assert stored_answer(home, application).rounds[0].calls[0].state == "declined"
        assert_agree(application, home)


async def test_escape_during_a_call_cancels_it_and_keeps_what_arrived(home: Path, server: DemoServer) -> None:
    application = app(home, server, model="tools-call")
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, json.dumps({"tool": "wait", "arguments": {"seconds": 30}}))
        await until(pilot, lambda: any(c.state == "running" for t in application.chat.query(AssistantTurn)
                                       for c in t.reply.calls), timeout=30)
        await pilot.press("escape")
        await settle(pilot, 10)
        turn = application.chat.query(AssistantTurn).last()
        assert turn.reply.status == "stopped"
        stored = stored_answer(home, application)
        assert stored.status == "stopped" and stored.rounds[0].calls[0].state == "stopped"
        assert "stopped" in str(turn.query(ToolCallLine).last().title_line.render())
        assert_agree(application, home)


async def test_f4_switches_tools_off_for_the_conversation(home: Path, server: DemoServer) -> None:
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot, 30)
        await pilot.press("f4")
        assert "Tools off" in application.chat.status.text
        await send(pilot, "what is 6*7?")
        await settle(pilot, 30)
        assert not isinstance(application.screen, ApprovalScreen)
        first, second = server.chat_bodies()
        assert "tools" in first and "tools" not in second
        assert application.session.settings()["tools"] is False, "kept with the conversation"
        await pilot.press("f4")
        assert "Tools on" in application.chat.status.text


async def test_a_reopened_tool_conversation_shows_its_calls_and_goes_on(home: Path, server: DemoServer) -> None:
    first = app(home, server, approve="auto")
    async with first.run_test(size=SIZE) as pilot:
        await send(pilot, "what is 6*7?")
        await settle(pilot, 30)
        conversation = first.session.conversation_id
    again = app(home, server, approve="auto")
    async with again.run_test(size=SIZE) as pilot:
        await again.chat.open_conversation(conversation)
        await until(pilot, lambda: bool(again.chat.query(StoredTurn)))
        turn = again.chat.query(StoredTurn).last()
        shown = [text for kind, text in turn._frame()[0] if kind == "call"]
        assert len(shown) == 1 and "demo · calculate" in shown[0] and "· 42" in shown[0]
        await send(pilot, "and 2**10?")
        await settle(pilot, 30)
        assert "**1024**" in again.chat.query(AssistantTurn).last().reply.content, \
            "the reopened tool turn went back with its reasoning (the demo server refuses it otherwise)"
        assert_agree(again, home)


async def test_compare_columns_call_tools_too(home: Path, server: DemoServer) -> None:
    from reasonchat.tui.screens.compare import CompareScreen
    from reasonchat.tui.widgets.compare_column import CompareColumn

    extra = tools_config(server, approve="auto") + (
        f'\n[presets.u]\nbase_url = "{server.base_url}"\nmodel = "demo@0"\ntool_reasoning = true\n')
    cfg = config.load(write_config(home, server, extra).path or "")
    application = make_app(cfg, ProviderOptions(preset="t"), remember=False,
                           compare=[ProviderOptions(preset="t"), ProviderOptions(preset="u")])
    async with application.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: isinstance(application.screen, CompareScreen)
                    and all(c.provider is not None for c in application.screen.query(CompareColumn)))
        prompt = application.screen.query_one("PromptInput")
        prompt.text = "what is 6*7?"
        await pilot.press("enter")
        await until(pilot, lambda: all(c.live is None and c.query(AssistantTurn)
                                       for c in application.screen.query(CompareColumn)), timeout=40)
        for column in application.screen.query(CompareColumn):
            turn = column.query(AssistantTurn).last()
            assert "**42**" in turn.reply.content
            assert turn.query(ToolRound) and turn.query(ToolCallLine)


async def test_regenerate_asks_again_and_its_calls_are_approved_again(home: Path, server: DemoServer) -> None:
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await decided(pilot, "what is 6*7?", "y")
        await pilot.press("ctrl+r")
        await asked(pilot)
        await pilot.press("n")
        await settle(pilot, 30)
        assert "declined" in application.chat.query(AssistantTurn).last().reply.content
        assert_agree(application, home)
        with TranscriptStore(home / "reasonchat.db") as store:
            answers = [m for m in store.all_messages(application.session.conversation_id) if m.role == "assistant"]
        assert [[c.state for c in a.rounds[0].calls] for a in answers] == [["done"], ["declined"]], \
            "the first answer stays as a version, its call as it was"


async def test_a_hostile_result_never_reaches_the_terminal(home: Path, server: DemoServer) -> None:
    from tests.tui.conftest import assert_terminal_safe

    application = app(home, server, model="tools-call")
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, json.dumps({"tool": "hostile", "arguments": {}}))
        await settle(pilot, 30)
        line = application.chat.query(ToolCallLine).last()
        await pilot.click(line.title_line)
        await pilot.pause(0.3)
        raw, text = terminal_output(application)
        assert_terminal_safe(raw)
        assert "safe" in text and "evil" in text
        kept = stored_answer(home, application).rounds[0].calls[0].result
        assert "\x1b]52" in kept, "the store keeps what the server said; only the screen is cleaned"


async def test_the_picker_switches_tools_off_for_the_conversation(home: Path, server: DemoServer) -> None:
    from textual.widgets import Switch

    from reasonchat.tui.screens.presets import PresetPicker

    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")
        await screen_up(pilot, PresetPicker)
        switch = application.screen.query_one("#tools", Switch)
        assert switch.value is True
        switch.value = False
        await pilot.pause()
        assert application.session.tools_on() is False
        await pilot.press("escape")
        await send(pilot, "what is 6*7?")
        await settle(pilot, 30)
        assert "tools" not in server.chat_bodies()[-1]
        assert application.session.settings()["tools"] is False
