"""What a newcomer's first hour found in the TUI (issue "a newcomer's first hour"), each with the rule behind it:
nothing typed or pasted is lost by any key or flow; every version is reachable; one source for every figure;
never claim what was not observed; one key, one meaning."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, OptionList, Select

from reasonchat.providers import ProviderOptions
from reasonchat.store import TranscriptStore
from reasonchat.tui.app import make_app
from reasonchat.tui.screens.compare import CompareScreen
from reasonchat.tui.screens.compare_picker import ComparePicker
from reasonchat.tui.screens.history import HistoryScreen
from reasonchat.tui.screens.presets import PresetPicker
from reasonchat.tui.widgets.prompt import LARGE_PASTE, PromptInput
from reasonchat.tui.widgets.reasoning_title import ReasoningTitle
from reasonchat.tui.widgets.stored_turn import StoredTurn
from reasonchat.tui.widgets.user_message import UserMessage
from reasonchat.tui.widgets.version_mark import VersionMark
from tests.tui.conftest import assert_agree, screen_up, send, settle, until, write_config

SIZE = (110, 40)
PASTE = "\n".join(f"log line {i:05d}: something happened" for i in range(600))  # over LARGE_PASTE
TOKEN = re.compile(r"\[pasted [\d,]+ characters #\d+\]")


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def paste(pilot: Any, text: str) -> PromptInput:
    prompt: PromptInput = pilot.app.chat.prompt
    prompt.focus()
    prompt.post_message(events.Paste(text))
    await pilot.pause()
    return prompt


def broken(text: str) -> bool:
    """A piece of a placeholder is left without the rest of it."""
    rest = TOKEN.sub("", text)
    return "[pasted" in rest or "characters #" in rest or bool(re.search(r"\d+ characters", rest))


# -- losing what was typed: a placeholder is one unit for every key that edits -------------------------------

EDITS = {  # how a key is pressed, given where the placeholder is in "before [token] after"
    "backspace after it": (("end_of_token",), "backspace"),
    "delete before it": (("start_of_token",), "delete"),
    "ctrl+w after it": (("end_of_token",), "ctrl+w"),
    "ctrl+u after it": (("end_of_token",), "ctrl+u"),
    "delete to the line's end from inside": (("inside_token",), "delete_to_end_of_line"),
    "delete the word right from inside": (("inside_token",), "delete_word_right"),
    "a selection half over it, deleted": (("half_selection",), "backspace"),
    "a selection half over it, cut": (("half_selection",), "cut"),
    "typing inside it": (("inside_token",), "x"),
}


@pytest.mark.parametrize("edit", list(EDITS))
async def test_a_large_paste_is_one_unit_for_every_key_that_edits(app_for: Any, server: Any, edit: str) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        prompt = await paste(pilot, PASTE)
        token = prompt.text
        assert TOKEN.fullmatch(token)
        prompt.text = f"before {token} after"
        start, end = len("before "), len("before ") + len(token)
        (where,), key = EDITS[edit]
        if where == "end_of_token":
            prompt.move_cursor((0, end))
        elif where == "start_of_token":
            prompt.move_cursor((0, start))
        elif where == "inside_token":
            prompt.move_cursor((0, start + 5))
        else:
            prompt.selection = type(prompt.selection)((0, 2), (0, start + 6))
        if key == "cut":
            prompt.action_cut()
        elif key in ("delete_to_end_of_line", "delete_word_right"):
            getattr(prompt, f"action_{key}")()
        else:
            await pilot.press(key)
        await pilot.pause()
        assert not broken(prompt.text), prompt.text
        whole = token in prompt.text
        if edit == "typing inside it":
            assert whole and f"{token}x" in prompt.text  # it went after the placeholder
        else:
            assert not whole  # the deletion took all of it
            prompt.action_undo()
            await pilot.pause()
            assert token in prompt.text and not broken(prompt.text)  # and undo brings it back whole
        await pilot.press("enter")
        await settle(pilot)
        sent = server.chat_bodies()[-1]["messages"][-1]["content"]
        assert PASTE in sent and not TOKEN.search(sent)  # what went is the paste itself, never its placeholder


async def test_one_backspace_on_a_placeholder_then_typing_sends_no_broken_placeholder(app_for: Any,
                                                                                   server: Any) -> None:
    """The newcomer's case: Backspace once, type " what is this?", Enter."""
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        prompt = await paste(pilot, "x" * (LARGE_PASTE * 2 + 1))
        await pilot.press("end", "backspace")
        for key in " what":
            await pilot.press(key if key != " " else "space")
        await pilot.press("enter")
        await settle(pilot)
        sent = server.chat_bodies()[-1]["messages"][-1]["content"]
        assert sent.strip() == "what"  # the paste went with its placeholder: nothing broken was sent
        assert prompt.text == ""


FLOWS = ["new", "open from history", "delete the open one", "switch version", "switch preset", "compare and back",
         "continue a compare column", "regenerate refused"]


@pytest.mark.parametrize("flow", FLOWS)
async def test_a_draft_survives_every_flow_that_changes_what_is_open(app_for: Any, home: Path, flow: str) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "first")
        await settle(pilot)
        first = app.session.conversation_id
        if flow == "switch version":
            await pilot.press("ctrl+r")
            await settle(pilot)
        if flow in ("open from history", "delete the open one"):
            await app.chat.action_new()
            await send(pilot, "second")
            await settle(pilot)
        prompt = await paste(pilot, PASTE)
        prompt.insert(" and my own words")
        draft = prompt.message()
        if flow == "new":
            await pilot.press("ctrl+n")
        elif flow == "open from history":
            await pilot.press("ctrl+o")
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.shown_query == "")
            app.screen.query_one(OptionList).highlighted = 1
            await pilot.press("tab", "enter")
            await until(pilot, lambda: app.session.conversation_id == first and app.screen is app.chat)
        elif flow == "delete the open one":
            await pilot.press("ctrl+o")
            await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.shown_query == "")
            await pilot.press("ctrl+d")
            await pilot.pause()
            await pilot.press("y")
            await until(pilot, lambda: app.session.conversation_id is None)
            await pilot.press("escape")
        elif flow == "switch version":
            await pilot.press("alt+left")
        elif flow == "switch preset":
            await pilot.press("ctrl+k")
            await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#presets")))
            presets = app.screen.query_one("#presets", OptionList)
            presets.highlighted = presets.get_option_index("b")
            await pilot.press("enter")
        elif flow in ("compare and back", "continue a compare column"):
            app.action_compare([ProviderOptions(preset="a"), ProviderOptions(preset="b")])
            await until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.checked)
            if flow == "compare and back":
                await pilot.press("escape")
            else:
                app.screen.query_one(PromptInput).text = "to both"
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.screen, CompareScreen) and not app.screen.streaming
                            and all(c.session.conversation_id for c in app.screen.columns_), timeout=20)
                await pilot.press("f6")
        elif flow == "regenerate refused":
            app.chat.generating = True  # (an answer in flight: ctrl+r does nothing)
            await pilot.press("ctrl+r")
            app.chat.generating = False
        await until(pilot, lambda: app.screen is app.chat)
        await pilot.pause()
        assert app.chat.prompt.message() == draft, flow
        assert_agree(app, home)


# -- every version is reachable ---------------------------------------------------------------------------


async def test_an_edited_question_stays_reachable_from_the_keyboard_and_by_a_click(app_for: Any,
                                                                                  home: Path) -> None:
    """send a, send b, ctrl+r, Up, edit, Enter, alt+← once: the question's versions are still reachable."""
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        for text in ("a", "b"):
            await send(pilot, text)
            await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("up")
        await pilot.pause()
        app.chat.prompt.insert(" (edited)")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("alt+left")  # the last message with versions: the answer — or the question
        await until(pilot, lambda: not app.chat.mounting_earlier)

        def question() -> str:
            return [m.text for m in app.chat.conversation.query(UserMessage)][-1]

        def question_mark() -> VersionMark:
            marks = [m for m in app.chat.conversation.query(VersionMark)
                     if any(u.message_id == m.for_message for u in app.chat.conversation.query(UserMessage))]
            assert marks, "the question has no version mark"
            return marks[-1]

        before = question()
        mark = question_mark()
        mark.focus()
        await pilot.press("left")  # on the focused mark: that message's versions
        await until(pilot, lambda: question() != before)
        assert {before, question()} == {"b", "b (edited)"}
        assert isinstance(app.focused, VersionMark)  # the focus stays on that message's mark
        await pilot.press("alt+right")  # and the version keys act on the focused one too
        await until(pilot, lambda: question() == before)
        question_mark().post_message(VersionMark.Step(question_mark().for_message, 1))  # what ▶ sends
        await until(pilot, lambda: question() != before)
        assert_agree(app, home)


async def test_a_click_on_the_arrows_of_a_version_mark_steps_it(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await asked_and_regenerated(pilot, "q")
        mark = app.chat.conversation.query_one(VersionMark)
        assert (mark.number, mark.count) == (2, 2)
        await pilot.click(VersionMark, offset=(1, 0))  # ◀
        await until(pilot, lambda: app.chat.conversation.query_one(VersionMark).number == 1)
        await pilot.click(VersionMark, offset=(len("◀ 1/2 ▶"), 0))  # ▶
        await until(pilot, lambda: app.chat.conversation.query_one(VersionMark).number == 2)


# -- the picker ------------------------------------------------------------------------------------------


async def test_the_pickers_sends_line_follows_the_thinking_switch(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#effort")))
        line = app.screen.query_one("#effort")
        assert "sends: thinking on" in str(line.render())
        await pilot.press("f3")
        await pilot.pause()
        assert "sends: thinking off" in str(line.render())


@pytest.mark.parametrize("roles", [True, False])
async def test_the_role_box_shows_the_role_or_that_there_is_none(app_for: Any, roles: bool) -> None:
    extra = '[roles.tutor]\nsystem = "Be a tutor."\n' if roles else ""
    app = app_for(extra=extra)
    async with app.run_test(size=SIZE) as pilot:
        if roles:
            app.session.set_settings(role="tutor")
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#role")))
        await pilot.pause()
        shown = app.screen.query_one("#role", Select)
        label = str(shown.query_one("SelectCurrent").render()) if shown.query("SelectCurrent") else ""
        text = " ".join(str(w.render()) for w in shown.query("Static"))
        assert ("tutor" if roles else "no roles defined") in text + label


async def test_enter_in_a_pickers_field_applies_it_or_says_why_not(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#max-tokens")))
        field = app.screen.query_one("#max-tokens", Input)
        field.focus()
        field.value = "lots"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PresetPicker)  # not a value: it stays, and says why
        assert "whole number" in str(app.screen.query_one("#reason").render())
        await pilot.press("escape")  # left with it still wrong: said, not silently dropped
        await until(pilot, lambda: app.screen is app.chat)
        assert any("was not kept" in n for n in notices(app))
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#max-tokens")))
        field = app.screen.query_one("#max-tokens", Input)
        field.focus()
        field.value = "2048"
        await pilot.press("enter")  # a value: kept, and the picker closes
        await until(pilot, lambda: app.screen is app.chat)
        assert app.session.settings().get("max_tokens") == 2048


async def test_typing_in_the_model_list_filters_it(app_for: Any) -> None:
    app = app_for(preset="b")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker)
                    and app.screen.query_one("#models", OptionList).option_count > 3)
        await pilot.press("right")
        for key in "thin":
            await pilot.press(key)
        models = app.screen.query_one("#models", OptionList)
        shown = [str(models.get_option_at_index(i).prompt) for i in range(models.option_count)]
        assert shown == ["shape-think-tags", "think-slow"]
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        assert models.option_count > 3
        assert "shape-volcano" in [str(models.get_option_at_index(i).prompt) for i in range(models.option_count)]


async def test_the_demos_model_list_is_what_a_person_tries(home: Path) -> None:
    from reasonchat.config import load
    from reasonchat.demo.scenarios import SHOWCASE

    app = make_app(load(None), ProviderOptions(demo=True), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker)
                    and app.screen.query_one("#models", OptionList).option_count >= len(SHOWCASE), timeout=15)
        models = app.screen.query_one("#models", OptionList)
        shown = [str(models.get_option_at_index(i).prompt) for i in range(models.option_count)]
        assert shown == SHOWCASE and not any(m.startswith("fault-5") for m in shown)


async def test_at_60_by_15_the_picker_still_shows_its_lists(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(60, 15)) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, PresetPicker) and bool(app.screen.query("#presets")))
        await pilot.pause()
        assert app.screen.query_one("#presets", OptionList).size.height >= 4


async def test_a_missing_key_in_the_tui_points_at_the_demo_row_not_a_flag(home: Path, server: Any) -> None:
    cfg = write_config(home, server)
    app = make_app(cfg, ProviderOptions(preset="deepseek"), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await screen_up(pilot, PresetPicker)
        await pilot.pause()
        reason = str(app.screen.query_one("#reason").render())
        assert "DEEPSEEK_API_KEY" in reason and "--demo" not in reason and "its row in the picker" in reason


async def asked_and_regenerated(pilot: Any, question: str) -> None:
    """`question` sent and answered, then ctrl+r: two versions of its answer."""
    await send(pilot, question)
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)


async def first_history_row(pilot: Any) -> str:
    """ctrl+o, and the text of the first row once the listing has come."""
    app = pilot.app
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.shown_query == "")
    return str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)


# -- one source for every figure ------------------------------------------------------------------------


def priced(app_for: Any, server: Any, model: str) -> Any:
    """The app on a preset with a price, answered by the demo's `model`."""
    return app_for(preset="priced", extra=f'[presets.priced]\nbase_url = "{server.base_url}"\nmodel = "{model}"\n'
                                          'price = { input = 2, output = 8, currency = "CNY" }\n')


async def reopened_and_exported(pilot: Any, home: Path) -> str:
    """The open conversation opened again (its stored turns shown), and its Markdown export."""
    from reasonchat import export

    app = pilot.app
    await app.chat.open_conversation(app.session.conversation_id)
    await until(pilot, lambda: bool(app.chat.query(StoredTurn)))
    with TranscriptStore(home / "reasonchat.db") as store:
        summary = store.require(app.session.conversation_id)
        return export.to_markdown(summary, store.messages(summary.id))


async def test_a_stopped_answers_figures_are_the_same_live_reopened_exported_and_listed(
        app_for: Any, home: Path, server: Any) -> None:
    app = priced(app_for, server, "bench-6000@400")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "think for a while")
        await until(pilot, lambda: bool(app.chat.turns()) and app.chat.turns()[0].reply.reasoning_chunks > 40)
        await pilot.press("escape")
        await settle(pilot)
        live = app.chat.turns()[0]
        title = live.reasoning.title_text
        count = re.search(r"~?[\d,]+ tokens", title)
        assert count, title
        text = await reopened_and_exported(pilot, home)
        assert re.search(r"~?[\d,]+ tokens", app.chat.query_one(StoredTurn).title_text).group() == count.group()
        assert f"{count.group().replace(' tokens', '').replace(',', '')} reasoning tokens" in text


async def test_history_counts_the_branch_shown_and_says_there_are_other_versions(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await asked_and_regenerated(pilot, "q")
        row = await first_history_row(pilot)
        assert "2 msgs (+1 other versions)" in row and "  " not in row.strip()


async def test_a_compares_history_row_costs_all_its_columns(home: Path, server: Any) -> None:
    url = server.base_url
    extra = (f'[presets.c]\nbase_url = "{url}"\nmodel = "shape-deepseek"\nprice = {{ input = 2, output = 8 }}\n'
             f'[presets.d]\nbase_url = "{url}"\nmodel = "shape-volcano"\nprice = {{ input = 4, output = 16 }}\n')
    cfg = write_config(home, server, extra)
    app = make_app(cfg, ProviderOptions(preset="c"), remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_compare([ProviderOptions(preset="c"), ProviderOptions(preset="d")])
        await until(pilot, lambda: isinstance(app.screen, CompareScreen) and app.screen.checked)
        app.screen.query_one(PromptInput).text = "what does it cost?"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen) and not app.screen.streaming
                    and all(c.session.conversation_id for c in app.screen.columns_), timeout=20)
        await pilot.pause(0.2)
        for column in app.screen.columns_:  # each column's cost, whole, at 120 columns
            footer = str(column.query_one(".compare-column--footer").render())
            assert re.search(r"¥\d\.\d{4}", footer), footer
        with TranscriptStore(home / "reasonchat.db") as store:
            members = store.compare_members(store.list_conversations(10)[0].compare_id)
            total = sum(m.cost or 0 for m in members)
        assert all(m.cost for m in members)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.chat)
        row = await first_history_row(pilot)
        from reasonchat.core.cost import format_amount

        assert format_amount(total, "CNY") in row and "⇉ c·shape-deepseek | d·shape-volcano" in row


# -- never claim what was not observed ---------------------------------------------------------------------


@pytest.mark.parametrize("with_tool", [False, True])
async def test_copying_says_what_was_done_not_that_it_was_copied(app_for: Any, home: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  with_tool: bool) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    monkeypatch.setenv("PATH", str(tools))  # no clipboard tool on the machine, unless the test puts one
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    received = tmp_path / "received.txt"
    if with_tool:
        xclip = tools / "xclip"
        xclip.write_text(f"#!/bin/sh\nexec /bin/cat > {received}\n", encoding="utf-8")
        xclip.chmod(0o755)
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "q")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await until(pilot, lambda: any("last answer:" in n for n in notices(app)))
        said = next(n for n in notices(app) if "last answer:" in n)
        answer = app.chat.turns()[-1].reply.content
        assert "Copied" not in said
        if with_tool:
            assert "copied to the clipboard (xclip)" in said and received.read_text(encoding="utf-8") == answer
        else:
            assert "may not allow" in said and (home / "clipboard.txt").read_text(encoding="utf-8") == answer


async def test_textuals_own_notices_keep_their_markup_and_ours_show_text_as_written(app_for: Any,
                                                                                    tmp_path: Path) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        app.deliver_screenshot(filename="shot.svg", path=str(tmp_path))  # Textual's own "Saved screenshot to …"
        await until(pilot, lambda: any("Saved screenshot" in n.message for n in app._notifications), timeout=10)
        theirs = next(n for n in app._notifications if "Saved screenshot" in n.message)
        assert theirs.markup  # drawn as Textual means it
        app.chat.status.say("x")
        from reasonchat.tui.notice import tell

        tell(app, "a model said [bold]hi[/bold] and [@click=app.quit]x[/]")
        await pilot.pause()
        ours = next(n for n in app._notifications if "model said" in n.message)
        assert not ours.markup and "[bold]hi[/bold]" in ours.message


def test_nothing_of_ours_raises_a_notice_but_through_tell() -> None:
    root = Path(__file__).resolve().parents[2] / "reasonchat"
    calls = [f"{p.relative_to(root)}:{n}" for p in root.rglob("*.py") if p.name != "notice.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if ".notify(" in line]
    assert calls == []


# -- one key, one meaning; small things --------------------------------------------------------------------


async def test_ctrl_g_five_times_is_one_line_not_five_toasts(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        before = len(notices(app))
        for _ in range(5):
            await pilot.press("ctrl+g")
        await pilot.pause()
        assert len(notices(app)) == before
        assert app.chat.status.text.startswith("Next answer: thinking on")


async def test_tab_from_the_prompt_goes_to_the_latest_turn_and_an_opened_reasoning_stays_in_view(
        app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=(100, 24)) as pilot:
        for text in ("one", "two", "three"):
            await send(pilot, text)
            await settle(pilot)
        await pilot.press("tab")
        titles = list(app.chat.conversation.query(ReasoningTitle))
        assert app.focused is titles[-1]  # the latest turn's, not the first at the top
        view = app.chat.conversation
        await pilot.press("enter")  # open it: it grows below its title, which stays on screen
        await pilot.pause(0.3)
        top = titles[-1].region.y
        assert view.region.y <= top < view.region.bottom


async def test_the_editing_border_says_what_enter_does(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "q")
        await settle(pilot)
        await pilot.press("up")
        await pilot.pause()
        border = str(app.chat.prompt.border_title)
        assert "new version" in border and "replaces" not in border
        helps = {str(c.title): str(c.help) for c in app.get_system_commands(app.chat)}
        assert "replaces" not in helps["Edit last message"]


async def test_the_tuis_c_continues_on_the_conversations_provider(home: Path, server: Any) -> None:
    cfg = write_config(home, server)
    with TranscriptStore(home / "reasonchat.db") as store:
        conversation = store.create_conversation("b", "shape-volcano", "held on b")
        store.add_message(conversation, "user", "held on b")
    app = make_app(cfg, ProviderOptions(), remember=False, open_at_start="last")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.session.conversation_id == conversation)
        await until(pilot, lambda: str(app.chat.query_one("HeaderLine").render()).startswith("b · shape-volcano"))


async def test_f1_lists_the_compare_and_picker_keys(app_for: Any) -> None:
    from reasonchat.tui.screens.help import help_text

    text = help_text({})
    for key in ("F5 / F6 / F7", "typing in the models", "f3", "Tab / shift+Tab"):
        assert key in text


async def test_the_compare_picker_says_which_ticked_preset_has_no_key(home: Path, server: Any) -> None:
    cfg = write_config(home, server)
    app = make_app(cfg, ProviderOptions(preset="a"), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await screen_up(pilot, ComparePicker)
        listing = app.screen.query_one("SelectionList")
        rows = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("deepseek" in r and "needs DEEPSEEK_API_KEY" in r for r in rows)  # before it is ticked
        listing.select("deepseek")
        listing.select("a")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ComparePicker)  # not compared: one column could not be asked
        assert "deepseek needs DEEPSEEK_API_KEY" in str(app.screen.query_one("#compare-note").render())


async def test_ctrl_e_writes_into_the_documents_folder_and_says_where(home: Path, server: Any,
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[presets.a]\nbase_url = "{server.base_url}"\nmodel = "shape-deepseek"\n',
                                      encoding="utf-8")
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    monkeypatch.chdir(tmp_path)
    from reasonchat import config, paths

    app = make_app(config.load(home / "config.toml"), ProviderOptions(preset="a"), remember=False)
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "q")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: any("Exported to" in n for n in notices(app)))
    written = list(paths.exports_dir().glob("reasonchat-*.md"))
    assert len(written) == 1 and not list(tmp_path.glob("reasonchat-*.md"))  # not where it was started
    assert any(str(written[0]) in n for n in notices(app))
    assert os.path.isabs(str(written[0]))


async def test_keys_typed_fast_in_history_open_the_row_they_mean(app_for: Any, home: Path) -> None:
    """ctrl+o, Down, Enter in one burst (before the rows have come): the second row opens — the first Down
    from the search box moves on from the row that already looks selected, and nothing typed is lost."""
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        for text in ("older", "newer"):
            await app.chat.action_new()
            await send(pilot, text)
            await settle(pilot)
        older = app.session.conversation_id - 1
        await pilot.press("ctrl+o", "down", "enter")
        await until(pilot, lambda: app.screen is app.chat and app.session.conversation_id == older)
        assert [m.text for m in app.chat.query(UserMessage)] == ["older"]
        assert_agree(app, home)


async def test_the_first_down_from_the_search_box_moves_to_the_second_row(app_for: Any) -> None:
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        for text in ("one", "two", "three"):
            await app.chat.action_new()
            await send(pilot, text)
            await settle(pilot)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.shown_query == "")
        listing = app.screen.query_one(OptionList)
        assert listing.highlighted == 0
        await pilot.press("down")
        assert listing.highlighted == 1 and app.focused is listing


async def test_a_finished_answers_cost_is_the_same_live_reopened_exported_and_listed(
        app_for: Any, home: Path, server: Any) -> None:
    from reasonchat.core.cost import format_amount

    app = priced(app_for, server, "shape-deepseek")
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "what does it cost?")
        await settle(pilot)
        live = app.chat.turns()[0].reply.cost
        assert live is not None
        shown = format_amount(live.amount, live.currency)
        assert shown in app.chat.status.text and shown in str(app.chat.query_one("HeaderLine").render())
        exported = await reopened_and_exported(pilot, home)
        assert shown in str(app.chat.query_one("HeaderLine").render())
        assert f"cost {shown}" in exported
        assert shown in await first_history_row(pilot)


@pytest.mark.parametrize("screen", ["picker", "history", "compare picker"])
async def test_keys_typed_in_a_burst_never_dismiss_the_chat(app_for: Any, screen: str) -> None:
    """Enter on a choice, then more keys and Enter before the screen has gone: its second dismissal used to pop
    the chat screen itself (Textual pops whatever is on top), leaving a blank app. Nothing typed is lost
    either: what came after the first Enter is the chat's."""
    app = app_for()
    async with app.run_test(size=SIZE) as pilot:
        await send(pilot, "earlier")
        await settle(pilot)
        key = {"picker": "ctrl+k", "history": "ctrl+o", "compare picker": "f2"}[screen]
        await pilot.press(key)
        await until(pilot, lambda: app.screen is not app.chat)
        if screen == "picker":
            await until(pilot, lambda: bool(app.screen.query("#presets")))
        opened = app.screen
        for name in ("enter", "enter", "escape", "enter"):  # in one burst, handled after all have come
            opened.post_message(events.Key(name, None))
            app.post_message(events.Key(name, None))
        await pilot.pause(0.3)
        assert app.chat in app.screen_stack, [type(s).__name__ for s in app.screen_stack]
        await pilot.press(key)  # and the bare fact: a screen asked twice to go goes once
        await until(pilot, lambda: app.screen is not app.chat)
        opened = app.screen
        opened.dismiss(None)
        opened.dismiss(None)
        await pilot.pause(0.2)
        assert app.screen is app.chat, [type(s).__name__ for s in app.screen_stack]
