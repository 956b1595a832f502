"""A user's day in the TUI (issue 12): every flow that changes what is open leaves the screen, the session and
the store agreeing (`assert_agree`), whatever was streaming at the time. One test per defect found, then the
friction a user of elia, oterm or posting would notice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.content import Content
from textual.widgets import OptionList

from reasonchat import config
from reasonchat.demo import scenarios as demo_scenarios
from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.state import load_state
from reasonchat.store import TranscriptStore
from reasonchat.tui.app import make_app
from reasonchat.tui.screens.confirm import ConfirmScreen
from reasonchat.tui.screens.history import HistoryScreen
from reasonchat.tui.screens.presets import PresetPicker
from reasonchat.tui.session import CURRENT
from reasonchat.tui.widgets.reasoning_block import ReasoningBlock
from reasonchat.tui.widgets.status_bar import READY
from reasonchat.tui.widgets.user_message import UserMessage
from tests.tui.conftest import assert_agree, screen_up, send, settle, terminal_output, until, write_config

SIZE = (110, 40)
SLOW = "bench-6000@400"  # 15 s: still streaming whenever a test acts on it


def users(home: Path, conversation_id: int | None) -> list[str]:
    if conversation_id is None:
        return []
    with TranscriptStore(home / "reasonchat.db") as store:
        return [m.content for m in store.messages(conversation_id) if m.role == "user"]


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def open_history(pilot: Any) -> HistoryScreen:
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen) and pilot.app.screen.shown_query == "")
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def delete_highlighted(pilot: Any, history: HistoryScreen) -> None:
    await pilot.press("ctrl+d")
    await screen_up(pilot, ConfirmScreen)
    await pilot.press("y")
    await until(pilot, lambda: pilot.app.screen is history)


async def open_picker(pilot: Any) -> PresetPicker:
    await pilot.press("ctrl+k")
    await until(pilot, lambda: isinstance(pilot.app.screen, PresetPicker) and bool(pilot.app.screen.query("#models")))
    screen = pilot.app.screen
    assert isinstance(screen, PresetPicker)
    return screen


# -- 1. deleting the open conversation --------------------------------------------------------------------


async def test_deleting_the_open_conversation_closes_it(app_for: Any, home: Path, server: DemoServer) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "doomed question")
        await settle(pilot)
        doomed = app.session.conversation_id
        history = await open_history(pilot)
        await delete_highlighted(pilot, history)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.chat)
        assert app.session.conversation_id is None
        assert_agree(app, home)  # a fresh empty conversation on screen, nothing of the deleted one
        assert users(home, doomed) == []
        await pilot.press("ctrl+e")  # was a traceback (UsageError from the export action)
        await until(pilot, lambda: "Nothing to export yet" in notices(app))
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "No answer to regenerate yet" in notices(app))
        await send(pilot, "a new start")  # was refused: FOREIGN KEY constraint failed
        await settle(pilot)
        assert app.session.conversation_id not in (None, doomed)
        assert app.chat.turns()[-1].reply.status == "complete"
        assert "NOT SAVED" not in str(app.chat.query_one("HeaderLine").render())
        assert_agree(app, home)
        await pilot.press("ctrl+r")  # and regenerate works on the new one
        await until(pilot, lambda: len(server.chat_bodies()) == 3)
        await settle(pilot)
        assert_agree(app, home)


async def test_deleting_the_open_conversation_mid_answer(app_for: Any, home: Path) -> None:
    app = app_for(model=SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "a long one")
        await until(pilot, lambda: app.chat.turns()[0].reply.reasoning_chunks > 20)
        doomed = app.session.conversation_id
        history = await open_history(pilot)  # browsing does not stop the answer
        assert app.chat.generating
        await delete_highlighted(pilot, history)
        assert not app.chat.generating  # it stopped (saved as stopped), then the conversation went
        await until(pilot, lambda: any("Stopped the answer" in n for n in notices(app)))  # a notice is a message
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.chat)
        assert_agree(app, home)
        with TranscriptStore(home / "reasonchat.db") as store:
            assert not store.exists(doomed)
            assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0


# -- 2. the picker and --base-url ----------------------------------------------------------------------------


async def test_picker_keeps_a_base_url_override(home: Path, server: DemoServer) -> None:
    cfg = write_config(home, server)
    app = make_app(cfg, ProviderOptions(preset="vllm", base_url=server.base_url), remember=True)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(pilot)
        rows = picker.query_one("#presets", OptionList)
        assert rows.get_option_at_index(0).id == CURRENT  # the provider in use, overrides included, first
        assert "vllm @ 127.0.0.1" in str(rows.get_option_at_index(0).prompt)
        models = picker.query_one("#models", OptionList)
        await until(pilot, lambda: models.option_count == len(demo_scenarios.model_ids()))  # its own /models
        await pilot.press("enter")  # keep it
        await until(pilot, lambda: not isinstance(app.screen, PresetPicker))
        assert app.session.options.base_url == server.base_url
        await send(pilot, "hello local server")
        await settle(pilot)
        assert app.chat.turns()[0].reply.status == "complete"  # it went to the server, not localhost:8000
        header = str(app.chat.query_one("HeaderLine").render())
        assert header.startswith("vllm @ 127.0.0.1")
        assert "· demo ·" in header  # the model that served, not "(first served)"
    assert load_state().preset != "vllm"  # the address came from the command line: not remembered as vllm's


async def test_picker_with_base_url_alone_lists_and_switches_its_models(home: Path, server: DemoServer) -> None:
    cfg = config.load(home / "none.toml")
    app = make_app(cfg, ProviderOptions(base_url=server.base_url), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(pilot)
        models = picker.query_one("#models", OptionList)
        await until(pilot, lambda: models.option_count == len(demo_scenarios.model_ids()))
        models.focus()
        models.highlighted = demo_scenarios.model_ids().index("shape-volcano")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, PresetPicker))
        assert app.session.options == ProviderOptions(base_url=server.base_url, model="shape-volcano")
        await send(pilot, "hi")
        await settle(pilot)
        assert server.chat_bodies()[-1]["model"] == "shape-volcano"
        assert app.chat.turns()[0].reply.status == "complete"


# -- 3. editing --------------------------------------------------------------------------------------------


async def test_escape_leaves_an_edit_and_nothing_is_deleted(app_for: Any, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "A")
        await settle(pilot)
        await send(pilot, "B")
        await settle(pilot)
        prompt = app.chat.prompt
        await pilot.press("up")
        await until(pilot, lambda: prompt.text == "B")
        assert prompt.editing
        await pilot.press("escape")
        assert not prompt.editing
        assert prompt.text == ""
        assert app.session.editing is None
        assert not app.chat.query("#conversation > .-editing")
        await send(pilot, "C")
        await settle(pilot)
        assert users(home, app.session.conversation_id) == ["A", "B", "C"]  # B and its answer are kept
        assert_agree(app, home)


async def test_emptying_the_prompt_leaves_an_edit(app_for: Any, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "A")
        await settle(pilot)
        prompt = app.chat.prompt
        await pilot.press("up")
        await until(pilot, lambda: prompt.editing)
        prompt.text = ""
        await until(pilot, lambda: not prompt.editing)
        assert app.session.editing is None
        await send(pilot, "D")
        await settle(pilot)
        assert users(home, app.session.conversation_id) == ["A", "D"]
        assert_agree(app, home)


# -- 4. pastes keep their line breaks ------------------------------------------------------------------------


async def test_pastes_with_carriage_returns_keep_their_lines(app_for: Any, home: Path, server: DemoServer) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        prompt = app.chat.prompt
        app.post_message(events.Paste("one\rtwo\r\nthree"))  # what xterm, VTE and tmux send
        await until(pilot, lambda: prompt.text == "one\ntwo\nthree")
        prompt.text = ""
        lines = [f"line {i:05d} of a pasted log" for i in range(800)]  # ~20 kB: held aside
        app.post_message(events.Paste("\r".join(lines)))
        await until(pilot, lambda: prompt.text.startswith("[pasted "))
        await pilot.press("enter")
        await settle(pilot)
        assert server.chat_bodies()[-1]["messages"][-1]["content"] == "\n".join(lines)
        assert users(home, app.session.conversation_id) == ["\n".join(lines)]


# -- 5. the status line while an answer streams --------------------------------------------------------------


async def test_status_line_says_what_the_answer_in_flight_is_doing(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        status = app.chat.status
        assert status.text == READY
        await send(pilot, "first")
        await settle(pilot)
        assert "completion" in status.text  # the finished turn's figures
        app.session.set_model(SLOW)
        await send(pilot, "second")
        await until(pilot, lambda: "thinking" in status.text and "tok/s" in status.text)
        assert "completion" not in status.text  # not the previous turn's figures
        assert "Escape stops" in status.text
        await pilot.press("escape")
        await settle(pilot)


# -- 6. markup never leaks -----------------------------------------------------------------------------------


async def test_ctrl_c_and_the_palette_show_plain_words(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+c")
        await until(pilot, lambda: bool(notices(app)))
        assert "Press ctrl+q to quit" in notices(app)
        helps = {c.title: Content.from_markup(c.help).plain for c in app.get_system_commands(app.chat)}
        assert helps["Export as Markdown"] == "Write this conversation to [ui] export_dir (ctrl+e)"


# -- 10. leaving an answer in flight says so -----------------------------------------------------------------


async def test_new_conversation_mid_answer_says_it_stopped_and_saved(app_for: Any, home: Path) -> None:
    app = app_for(model=SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "long")
        await until(pilot, lambda: app.chat.turns()[0].reply.reasoning_chunks > 20)
        first = app.session.conversation_id
        await pilot.press("ctrl+n")
        await until(pilot, lambda: any("Stopped the answer — what arrived is saved" in n for n in notices(app)))
        assert app.chat.status.text == READY  # not the cancelled answer's figures
        assert_agree(app, home)
        with TranscriptStore(home / "reasonchat.db") as store:
            assert store.messages(first)[-1].status == "stopped"


async def test_opening_history_mid_answer_says_it_stopped_and_saved(app_for: Any, home: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "an earlier one")
        await settle(pilot)
        earlier = app.session.conversation_id
        await app.chat.action_new()
        app.session.set_model(SLOW)
        await send(pilot, "long")
        await until(pilot, lambda: app.chat.turns()[0].reply.reasoning_chunks > 20)
        history = await open_history(pilot)
        history.query_one(OptionList).highlighted = 1  # the earlier one (newest first)
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.session.conversation_id == earlier and app.screen is app.chat)
        await until(pilot, lambda: any("Stopped the answer" in n for n in notices(app)))
        assert app.chat.status.text == READY
        assert_agree(app, home)


# -- friction ------------------------------------------------------------------------------------------------


async def test_typing_anywhere_goes_to_the_prompt(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "hi")
        await settle(pilot)
        block = app.chat.query_one(ReasoningBlock)
        await pilot.click(block.title_line)
        assert app.focused is block.title_line
        await pilot.press("o", "k")
        assert app.focused is app.chat.prompt
        assert app.chat.prompt.text == "ok"


async def test_page_keys_scroll_the_conversation_from_the_prompt(app_for: Any) -> None:
    app = app_for(model="bench-3000@0")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "long")
        await settle(pilot)
        view = app.chat.conversation
        await until(pilot, lambda: view.max_scroll_y > 40 and view.scroll_y == view.max_scroll_y)
        assert app.focused is app.chat.prompt
        bottom = view.scroll_y
        await pilot.press("pageup")
        await until(pilot, lambda: view.scroll_y < bottom)
        await pilot.press("ctrl+home")
        await until(pilot, lambda: view.scroll_y == 0)
        await pilot.press("pagedown")
        await until(pilot, lambda: view.scroll_y > 0)
        await pilot.press("ctrl+end")
        await until(pilot, lambda: view.scroll_y == view.max_scroll_y)
        assert app.focused is app.chat.prompt


async def test_the_key_bar_shows_stop_only_while_an_answer_streams(app_for: Any) -> None:
    app = app_for(model=SLOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.chat.query("Footer")))
        await pilot.pause()
        _, idle = terminal_output(app)
        for key in ("f1 Help", "^q Quit", "^r Regenerate", "^k Model"):  # what the 80-column bar must keep
            assert key in idle
        assert "esc Stop" not in idle
        assert "New conversation with a" in idle  # the empty-conversation hint
        await send(pilot, "long")
        await until(pilot, lambda: "esc Stop" in terminal_output(app)[1])
        await pilot.press("escape")
        await settle(pilot)
        await until(pilot, lambda: "esc Stop" not in terminal_output(app)[1])


async def test_history_marks_unfinished_conversations_and_says_when_nothing_matches(app_for: Any) -> None:
    app = app_for(model=SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "stopped one")
        await until(pilot, lambda: app.chat.turns()[0].reply.reasoning_chunks > 5)
        await pilot.press("escape")
        await settle(pilot)
        history = await open_history(pilot)
        listed = history.query_one(OptionList)
        assert "■ stopped" in str(listed.get_option_at_index(0).prompt)
        await pilot.press(*"zzqqxx")
        await until(pilot, lambda: history.shown_query == "zzqqxx")
        assert listed.option_count == 0
        assert "No conversation matches “zzqqxx”" in str(history.query_one("#empty").render())


async def test_the_picker_says_a_key_is_missing_before_and_after_picking(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        picker = await open_picker(pilot)
        rows = picker.query_one("#presets", OptionList)
        deepseek = list(picker.rows).index("deepseek")
        assert "needs DEEPSEEK_API_KEY" in str(rows.get_option_at_index(deepseek).prompt)
        rows.highlighted = deepseek
        reason = picker.query_one("#reason")
        await until(pilot, lambda: "DEEPSEEK_API_KEY" in str(reason.render()))
        assert "Not switched" not in str(reason.render())
        await pilot.press("enter")  # picking it explains, and nothing is switched to a provider that cannot answer
        await until(pilot, lambda: "Not switched" in str(reason.render()))  # Enter was heard, and answered
        assert isinstance(app.screen, PresetPicker)
        assert "set DEEPSEEK_API_KEY" in str(reason.render())
        assert app.session.options.preset == "a"


async def test_continue_opens_the_last_conversation(home: Path, server: DemoServer) -> None:
    cfg = write_config(home, server)
    with TranscriptStore(home / "reasonchat.db") as store:
        for title in ("older", "newest"):
            conversation = store.create_conversation("a", "shape-deepseek", title)
            store.add_message(conversation, "user", title)
    app = make_app(cfg, ProviderOptions(preset="a"), remember=False, open_at_start="last")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: [u.text for u in app.chat.query(UserMessage)] == ["newest"])
        assert_agree(app, home)
        await send(pilot, "and more")
        await settle(pilot)
        assert [m["content"] for m in server.chat_bodies()[-1]["messages"]] == ["and more"]  # no answer to "newest"
        assert users(home, app.session.conversation_id) == ["newest", "and more"]
    app = make_app(cfg, ProviderOptions(preset="a"), remember=False, open_at_start=1)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: [u.text for u in app.chat.query(UserMessage)] == ["older"])
        assert_agree(app, home)


async def test_every_flow_keeps_the_three_views_agreeing(app_for: Any, home: Path, server: DemoServer) -> None:
    """new, open, edit, regenerate, switch and delete in a row, checking after each step."""
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "one")
        await settle(pilot)
        assert_agree(app, home)
        await send(pilot, "two")
        await settle(pilot)
        await pilot.press("up")
        await until(pilot, lambda: app.chat.prompt.editing)
        assert_agree(app, home)
        await send(pilot, "two, edited")
        await settle(pilot)
        assert_agree(app, home)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(server.chat_bodies()) == 4)
        await settle(pilot)
        assert_agree(app, home)
        app.session.choose("b", None)
        app.chat.refresh_header()
        await send(pilot, "three, elsewhere")
        await settle(pilot)
        assert_agree(app, home)
        first = app.session.conversation_id
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.session.conversation_id is None)
        assert_agree(app, home)
        await app.chat.open_conversation(first)
        assert_agree(app, home)
        assert users(home, first) == ["one", "two, edited", "three, elsewhere"]
        assert [t.reply.model for t in app.chat.turns()] == ["shape-deepseek", "shape-deepseek", "shape-volcano"]


def seed_long(home: Path, turns: int = 40) -> int:
    """A conversation long enough that opening it mounts its earlier turns over several frames."""
    from benchmarks.fixtures import seed_long_conversation

    return seed_long_conversation(home / "reasonchat.db", turns)


async def test_leaving_a_long_conversation_while_it_still_mounts(app_for: Any, home: Path) -> None:
    """Open a long conversation and, before its earlier turns are all mounted, start a new one, open it
    again and open another: the old mounting stops and nothing of it lands on the new screen. Then the same
    while an answer streams in another conversation."""
    app = app_for(model=SLOW)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()  # the app's start (preload, first conversation) is done
        await app.chat.open_conversation(first := seed_long(home))
        assert app.session.conversation_id == first
        assert app.chat.mounting_earlier  # the turns above the end are still to come
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not app.chat.mounting_earlier)
        assert_agree(app, home)

        await app.chat.open_conversation(first)
        await app.chat.open_conversation(second := seed_long(home, 20))
        await until(pilot, lambda: not app.chat.mounting_earlier)
        assert app.session.conversation_id == second
        assert_agree(app, home)

        await pilot.press("ctrl+n")
        await send(pilot, "a long one")
        await until(pilot, lambda: app.chat.turns()[0].reply.reasoning_chunks > 20)
        await app.chat.open_conversation(first)  # stops the answer (saved as stopped), then opens
        await until(pilot, lambda: any("Stopped the answer" in n for n in notices(app)))
        await until(pilot, lambda: not app.chat.mounting_earlier)
        assert_agree(app, home)


async def test_opening_conversation_after_conversation_keeps_nothing_of_the_ones_closed(
        home: Path, app_for: Any) -> None:
    """A long day opens many conversations. Nothing of one that was closed may stay: not its key bar's keys
    (Textual keeps each key bound to the footer: KeyBar), not its widgets' drawn lines (Textual's styles memo
    holds 1,024 widgets' caches: `release_styles_caches`), not its lines in the render queue."""
    import gc

    from textual.strip import Strip
    from textual.widget import Widget
    from textual.widgets._footer import FooterKey

    from benchmarks.fixtures import seed_long_conversation
    from reasonchat.tui.quiet_gc import release_styles_caches
    from reasonchat.tui.render_queue import render_queue
    from tests.tui.conftest import drawn_all

    first = seed_long_conversation(home / "reasonchat.db", 3, seed=1)
    second = seed_long_conversation(home / "reasonchat.db", 3, seed=2)
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        counts = []
        for _ in range(8):
            for conversation in (first, second):
                await app.chat.open_conversation(conversation)
                await until(pilot, lambda: drawn_all(app))
            await app.chat.action_new()
            await pilot.pause()
            release_styles_caches()  # what the app does when it has been idle for a moment
            gc.collect()
            objects = gc.get_objects()
            counts.append((sum(isinstance(o, Widget) and not o.is_attached for o in objects),
                           sum(type(o) is FooterKey for o in objects), sum(type(o) is Strip for o in objects)))
            del objects
        assert all(key.is_attached for key, *_ in render_queue(app).strips)
    removed, keys, strips = zip(*counts[1:], strict=True)  # the key bar joins a frame after the first
    # What is drawn varies by a screenful from round to round; what was kept grew by ~100 lines a round.
    assert max(keys) <= 2 * min(keys), f"key bar keys kept: {keys}"
    assert removed[-1] <= max(removed[:2]) + 5, f"removed widgets kept: {removed}"
    assert strips[-1] <= max(strips[:2]) + 200, f"drawn lines kept: {strips}"
