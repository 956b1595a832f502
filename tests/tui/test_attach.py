"""Attachments and the context window in the TUI, by pilots against the demo server: `@path` in the prompt
(what the status line says as it is typed), the chips, the palette's picker, a dropped file, an image refused
for a model without vision (the prompt kept), regenerate and reopening sending them again, the context line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer
from reasonchat.providers import ProviderOptions
from reasonchat.tui.app import make_app
from reasonchat.tui.widgets.user_message import UserMessage
from tests.cli.test_attach_schema import png
from tests.tui.conftest import assert_agree, screen_up, send, settle, until, write_config

SIZE = (120, 40)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with a source file and a picture, as the user's project is."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "greet.py").write_text('def greet(name):\n    return f"hi {name}"\n', encoding="utf-8")
    (folder / "dot.png").write_bytes(png())
    monkeypatch.chdir(folder)
    return folder


def app(home: Path, server: DemoServer, model: str = "demo@0", extra: str = "") -> Any:
    cfg = write_config(home, server, f'\n[presets.v]\nbase_url = "{server.base_url}"\nmodel = "{model}"\n'
                       'vision_models = ["demo-vision"]\n' + extra)
    return make_app(cfg, ProviderOptions(preset="v"), remember=False)


def sent_user(server: DemoServer) -> Any:
    return [m for m in server.chat_bodies()[-1]["messages"] if m["role"] == "user"][-1]["content"]


async def test_at_path_attaches_the_file_and_shows_a_chip(home: Path, server: DemoServer, here: Path) -> None:
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        prompt = application.chat.prompt
        prompt.text = "explain @gr"
        await until(pilot, lambda: application.chat.status.text == "📎 @gr: greet.py")
        prompt.move_cursor(prompt.document.end)
        await pilot.press("tab")  # completes the path (Tab elsewhere moves the focus)
        await until(pilot, lambda: prompt.text == "explain @greet.py")
        assert prompt.has_focus
        await until(pilot, lambda: application.chat.status.text == "📎 @greet.py will be attached · 41 B")
        prompt.text = "explain @nothing-here"
        await until(pilot, lambda: application.chat.status.text == "📎 @nothing-here: no such file — it stays text")
        prompt.text = "explain @greet.py and mail me@example.com"
        await pilot.press("enter")
        await settle(pilot, 30)
        content = sent_user(server)
        assert content.startswith("explain @greet.py and mail me@example.com\n\ngreet.py:\n```python\ndef greet")
        chip = application.chat.query(UserMessage).last()
        assert "▶ 📎 greet.py · 41 B" in str(chip.render())
        await pilot.click(chip)
        await pilot.pause()
        assert 'return f"hi {name}"' in str(chip.render()), "a click opens the chip"
        assert_agree(application, home)


async def test_a_pdf_goes_as_its_text_with_a_chip(home: Path, server: DemoServer, here: Path) -> None:
    from tests.cli.test_attach_schema import pdf

    (here / "paper.pdf").write_bytes(pdf("Reasoning models think first."))
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "summarize @paper.pdf")
        await settle(pilot, 30)
        assert "paper.pdf:\n```\n[page 1]\nReasoning models think first.\n```" in sent_user(server)
        chip = application.chat.query(UserMessage).last()
        assert "📎 paper.pdf ·" in str(chip.render())
        assert_agree(application, home)


async def test_an_image_for_a_model_without_vision_is_refused_and_the_prompt_kept(home: Path, server: DemoServer,
                                                                                  here: Path) -> None:
    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "what is @dot.png")
        assert "takes no images" in application.chat.status.text
        assert application.chat.prompt.text == "what is @dot.png"
        assert server.chat_bodies() == [] and application.session.conversation_id is None


async def test_an_image_goes_to_a_vision_model_and_again_on_regenerate_and_reopen(home: Path, server: DemoServer,
                                                                                  here: Path) -> None:
    application = app(home, server, model="demo-vision")
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "what is @dot.png")
        await settle(pilot, 30)
        assert "a PNG image of 73 bytes, 3×2" in application.chat.turns()[-1].reply.content
        os.remove(here / "dot.png")  # kept with the message: regenerate needs the file no more
        await pilot.press("ctrl+r")
        await settle(pilot, 30)
        assert sent_user(server)[1]["type"] == "image_url"
        conversation = application.session.conversation_id
    again = app(home, server, model="demo-vision")
    async with again.run_test(size=SIZE) as pilot:
        await again.chat.open_conversation(conversation)
        await until(pilot, lambda: bool(again.chat.query(UserMessage)))
        assert "📎 dot.png · 73 B" in str(again.chat.query(UserMessage).first().render())
        await send(pilot, "and now?")
        await settle(pilot, 30)
        first = next(m for m in server.chat_bodies()[-1]["messages"] if m["role"] == "user")["content"]
        assert first[1]["image_url"]["url"].startswith("data:image/png;base64,")
        assert_agree(again, home)


async def test_the_palette_picker_puts_the_file_in_the_prompt(home: Path, server: DemoServer, here: Path) -> None:
    from textual.widgets import DirectoryTree

    from reasonchat.tui.screens.attach_picker import AttachPicker

    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        application.chat.prompt.text = "look at"
        application.chat.prompt.move_cursor(application.chat.prompt.document.end)
        application.action_attach_file()
        await until(pilot, lambda: isinstance(application.screen, AttachPicker)
                    and bool(application.screen.query(DirectoryTree)))
        tree = application.screen.query_one(DirectoryTree)
        await until(pilot, lambda: tree.root.children != [])
        node = next(n for n in tree.root.children if str(n.data.path).endswith("greet.py"))
        tree.select_node(node)
        await pilot.pause()
        await until(pilot, lambda: application.screen is application.chat)
        assert application.chat.prompt.text == "look at @greet.py "


async def test_a_dropped_file_is_attached(home: Path, server: DemoServer, here: Path) -> None:
    from textual import events

    application = app(home, server)
    async with application.run_test(size=SIZE) as pilot:
        application.chat.prompt.focus()
        application.chat.prompt.post_message(events.Paste(f"'{here / 'greet.py'}'"))
        await pilot.pause()
        assert application.chat.prompt.text == f"@{here / 'greet.py'} "
        assert "will be attached" in application.chat.status.text


async def test_the_status_line_shows_the_context_used_of_the_window(home: Path, server: DemoServer) -> None:
    application = app(home, server, extra="context_window = 131072\n")
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot, 30)
        reply = application.chat.turns()[-1].reply
        used = reply.usage.prompt_tokens + reply.usage.completion_tokens
        assert f"context {used / 1000:.1f}k / 128k".replace(".0k", "k") in application.chat.status.text or \
            f"context {used} / 128k" in application.chat.status.text


async def test_a_message_that_may_not_fit_is_warned_and_goes_on_from_a_summary(home: Path,
                                                                               server: DemoServer) -> None:
    from reasonchat.core.context import SUMMARY_PROMPT
    from reasonchat.store import TranscriptStore
    from reasonchat.tui.screens.context_full import ContextFull

    application = app(home, server, extra="context_window = 2000\n")
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot, 30)
        first = application.session.conversation_id
        long = "Please look at this log. " + "line of a long log\n" * 400
        await send(pilot, long)
        await screen_up(pilot, ContextFull)
        assert "may not fit the window" in application.chat.status.text
        await pilot.press("n")
        await pilot.pause()
        assert application.chat.prompt.message() == long and len(server.chat_bodies()) == 1, "back: nothing sent"
        await pilot.press("enter")
        await screen_up(pilot, ContextFull)
        await pilot.press("s")
        await until(pilot, lambda: len(server.chat_bodies()) >= 3, timeout=30)
        await settle(pilot, 30)
        summary_request, after = server.chat_bodies()[1:3]
        assert summary_request["messages"][-1]["content"] == SUMMARY_PROMPT
        assert next(m["content"] for m in summary_request["messages"] if m["role"] == "user") == "hello"
        assert [m["role"] for m in after["messages"]] == ["user", "assistant", "user"]
        assert after["messages"][-1]["content"] == long
        second = application.session.conversation_id
        assert second != first
        with TranscriptStore(home / "reasonchat.db") as store:
            assert store.settings(second)["summary_of"] == first
            assert store.require(second).title.endswith("(continued)")
        assert_agree(application, home)


async def test_a_reopened_conversation_still_knows_where_it_stands(home: Path, server: DemoServer) -> None:
    """After a restart, `-c` reopens the conversation: the warning still comes before a message that would
    not fit (the last answer's stored usage against the window the preset's table gives its model)."""
    from reasonchat.tui.app import make_app
    from reasonchat.tui.screens.context_full import ContextFull

    first = app(home, server, extra='context_windows = { "demo@0" = 2000 }\n')
    async with first.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot, 30)
        used = first.session.context
        assert used is not None and used[1] == 2000, "the table's window, for the model that answered"
    again = make_app(first.session.config, ProviderOptions(preset="v"), remember=False, open_at_start="last")
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(again.chat.turns()) == 1, timeout=20)
        assert again.session.context == used
        assert_agree(again, home)  # (reopened: the screen, the session and the store show the same)
        await send(pilot, "Please look at this log. " + "line of a long log\n" * 400)
        await screen_up(pilot, ContextFull)
        assert len(server.chat_bodies()) == 1, "nothing sent before the user decides"


async def test_send_anyway_sends_it(home: Path, server: DemoServer) -> None:
    from reasonchat.tui.screens.context_full import ContextFull

    application = app(home, server, extra="context_window = 2000\n")
    async with application.run_test(size=SIZE) as pilot:
        await send(pilot, "hello")
        await settle(pilot, 30)
        await send(pilot, "x " * 5000)
        await screen_up(pilot, ContextFull)
        await pilot.press("y")
        await settle(pilot, 30)
        assert len(server.chat_bodies()) == 2 and len(application.chat.turns()) == 2
