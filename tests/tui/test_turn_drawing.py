"""A live turn's two drawers — the screen's timer (`tick`) and the end of the answer (`finish`) — each await
mounts and removals, and a timer is stopped whenever the answer ends or the screen closes, whatever its tick is
doing. A tick cut short at any point must leave a tree whose widgets all still answer (Textual's removal,
cancelled halfway, leaves one whose messages nobody reads: every later wait on the screen hangs — the CI
failure this test is for), and the finished turn as it should be: the round that ended once among the rounds,
the reasoning block that stays showing the final title, nothing left live."""

from __future__ import annotations

import asyncio
import contextlib

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from reasonchat.core.events import AnswerDelta, CallChanged, Finished, NextRound, ReasoningDelta, ToolCalls
from reasonchat.core.reply import Reply
from reasonchat.core.tool_calls import Call, ToolCall
from reasonchat.tui.widgets.reasoning_block import ReasoningBlock
from reasonchat.tui.widgets.tool_call import ToolCallLine
from reasonchat.tui.widgets.tool_round import ToolRound
from reasonchat.tui.widgets.turn import AssistantTurn
from tests.tui.conftest import pause


class Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="view")


def round_then_answer(reply: Reply) -> None:
    """One round that called a tool, then the answer's own reasoning and text, and its end."""
    call = ToolCall("call_1", "get_time", '{"timezone": "UTC"}')
    reply.apply(ReasoningDelta("I should ask the clock."))
    reply.apply(ToolCalls((call,)))
    done = Call(call, server="demo", tool="get_time", state="done", result="12:00", approved=True)
    reply.apply(CallChanged(done))
    reply.apply(NextRound())
    reply.apply(ReasoningDelta("It said noon."))
    reply.apply(AnswerDelta("It is **noon** in UTC.\n\nThat is all."))
    reply.apply(Finished("stop"))


async def test_a_tick_cut_short_at_any_point_leaves_every_widget_answering() -> None:
    app = Holder()
    async with app.run_test(size=(100, 40)) as pilot:
        for steps in range(0, 40, 3):
            reply = Reply(model="m", preset="p")
            turn = AssistantTurn(reply, "auto")
            await app.query_one("#view", VerticalScroll).mount(turn)
            reply.apply(ReasoningDelta("thinking "))
            reply.apply(AnswerDelta("A first paragraph.\n\nA second one, "))
            await turn.tick()
            await pause(pilot)
            round_then_answer(reply)  # the next tick swaps the round's widgets: removals
            tick = asyncio.create_task(turn.tick())
            for _ in range(steps):
                await asyncio.sleep(0)
            tick.cancel()  # the timer stopped, `steps` loop turns into the tick
            with contextlib.suppress(asyncio.CancelledError):
                await tick
            await pause(pilot)  # (every widget answers, or this raises naming the one that does not)
            await turn.finish()
            await pause(pilot)
            assert len(turn.query(ToolRound)) == 1, steps
            blocks = [b for b in turn.query(ReasoningBlock) if b.parent is turn]
            assert blocks == [turn.reasoning], steps
            assert turn.reasoning.title_text.startswith("▶ Thought for"), (steps, turn.reasoning.title_text)
            assert not turn.calls.query(ToolCallLine), steps
            assert turn.live is not None and not turn.live.query("Markdown"), steps
            assert "**noon**" in turn.shown_markdown(), steps
            await turn.remove()
