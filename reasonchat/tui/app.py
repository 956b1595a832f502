"""`ReasonChatApp`: wires the session to the screens, and owns what sits on top of the chat (history,
picker, help, palette, clipboard). Behaviour lives in the session and the screens, not here."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.screen import Screen

from reasonchat.config import Config
from reasonchat.errors import ReasonChatError
from reasonchat.providers import ProviderOptions
from reasonchat.state import load_state
from reasonchat.text import math
from reasonchat.tui import quiet_gc
from reasonchat.tui.notice import tell
from reasonchat.tui.quitting import Watchdog, catch_quit_signals
from reasonchat.tui.screens.chat import ChatScreen
from reasonchat.tui.session import ChatSession
from reasonchat.tui.starting import OpenAtStart, start
from reasonchat.tui.theming import Theming
from reasonchat.tui.tooling import Tooling

if TYPE_CHECKING:
    from reasonchat.tui.screens.presets import Choice
    from reasonchat.tui.widgets.stored_turn import StoredTurn
    from reasonchat.tui.widgets.turn import AssistantTurn



class ReasonChatApp(App[None]):
    TITLE = "reasonchat"
    BINDINGS = [Binding("f1", "help", "Help", id="help"), Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
                Binding("f2", "compare", "Compare", show=False, id="compare"),
                Binding("f3", "toggle_thinking", "Thinking", show=False, id="thinking"),
                Binding("f4", "toggle_tools", "Tools", show=False, id="tools"),
                Binding("f8", "toggle_math", "Math", show=False, id="math")]

    def __init__(self, session: ChatSession, open_at_start: OpenAtStart = None) -> None:
        super().__init__(driver_class=_driver_class())
        self.session = session
        self.chat = ChatScreen(session)
        self.open_at_start = open_at_start
        self.start_theme = ""  # the theme last chosen in the palette (state.toml)
        self.compare_at_start: list[ProviderOptions] = []  # --compare
        self.collector = quiet_gc.QuietCollector(self._busy)
        self.stopping = threading.Event()  # background work (the pair index) ends at its next step
        self.watchdog: Watchdog | None = None  # once a quit signal came: it ends the process if nothing else does
        self._restore_signals: Callable[[], None] = lambda: None
        self.theming = Theming(self, session)
        self.provider_named = False  # the command line named a provider (--preset, --base-url, --demo)
        self.tooling = Tooling(self, session.config.tools,
                               lambda text: tell(self, text, title="Tools", severity="warning", timeout=10))
        session.tooling = self.tooling

    def action_help_quit(self) -> None:
        """ctrl+c: Textual's own hint, in the words of our other notices."""
        tell(self, "Press ctrl+q to quit", title="Do you want to quit?")

    def on_mount(self) -> None:
        self.set_keymap(dict(self.session.config.keys))  # [keys] in the config (reasonchat/keys.py)
        math.set_mode(self.session.config.ui.math)
        self.theming.apply(self.start_theme)
        self.push_screen(self.chat)
        if self.compare_at_start:
            self.call_after_refresh(self.action_compare, self.compare_at_start)
        loop = asyncio.get_running_loop()
        self._restore_signals = catch_quit_signals(lambda signum: self._on_quit_signal(signum, loop))
        self.collector.install()
        self.set_interval(quiet_gc.CHECK_EVERY, self.collector.check)

    def action_toggle_math(self) -> None:
        """Math as Unicode, or as the model wrote it ([ui] math sets it at start; copies always keep LaTeX)."""
        math.set_mode("source" if math.mode() == "unicode" else "unicode")
        self.theming.draw_again()
        self.setting_changed("Math shown as Unicode" if math.mode() == "unicode" else "Math shown as LaTeX source")

    def _busy(self) -> bool:
        """Something is streaming, being mounted or rendered: not a moment for a full garbage collection."""
        from reasonchat.tui.render_queue import render_queue

        return self.chat.generating or self.chat.mounting_earlier or render_queue(self).busy  # type: ignore[arg-type]

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseEvent | events.Resize | events.Paste):
            self.collector.touch()
        await super().on_event(event)

    def _on_quit_signal(self, signum: int, loop: asyncio.AbstractEventLoop) -> None:
        """SIGTERM / SIGHUP (in the main thread, wherever it is — quitting.py): stop the answer (saved as
        stopped, like Escape), restore the terminal (after a hangup there is none: nothing more is written to
        it), exit with 128 + the signal's number, and make sure of that exit."""
        hang_up = getattr(self._driver, "hang_up", None)  # terminal.py's driver
        gone = signum == getattr(signal, "SIGHUP", None) and hang_up is not None and hang_up()
        if self.watchdog is None:
            self.watchdog = Watchdog(signum, terminal_gone=gone)
            self.watchdog.start()
            loop.call_soon_threadsafe(lambda: self.run_worker(self._quit_saving(signum), group="quit",
                                                              exclusive=True))

    async def _quit_saving(self, signum: int) -> None:
        await self.chat.stop_and_wait()
        with contextlib.suppress(ReasonChatError):  # a store that refused an answer gets a last chance
            self.chat.save_unsaved()
        if self.watchdog is not None:
            self.watchdog.saved.set()
        self.exit(return_code=128 + signum)

    def on_ready(self) -> None:
        """After the first frame: the provider checked, the store and the conversation asked for opened, the
        HTTP stack loaded in the background so the first answer starts fast (starting.py)."""
        start(self.chat, self.open_at_start, self.provider_named, self.stopping)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from textual.markup import escape

        from reasonchat.tui import commands  # loads when the palette first opens

        for entry in commands.entries(self.session.config):  # "app.…" names its namespace; the rest are the chat's
            yield SystemCommand(escape(entry.title), escape(entry.help), partial(self.run_action, entry.action,
                                                                                 self.chat))
        yield from super().get_system_commands(screen)

    def on_chat_screen_key_missing(self, message: ChatScreen.KeyMissing) -> None:
        self.action_picker(reason=message.reason)

    def action_help(self) -> None:
        from reasonchat.tui.screens.help import HelpScreen  # screens load when first opened

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.session.config.keys))

    def action_history(self) -> None:
        from reasonchat.tui.screens.history import HistoryScreen

        async def opened(picked: tuple[int, int | None] | None) -> None:
            if picked is None:
                return
            conversation_id, found = picked
            summary = self.session.store.require(conversation_id)
            if summary.compare_id is not None and found is None:  # a compare entry: its columns again
                members = self.session.store.compare_members(summary.compare_id)
                self.action_compare([ProviderOptions(preset=m.preset, model=m.model or None) for m in members],
                                    conversations=[m.id for m in members])
                return
            await self.chat.open_conversation(conversation_id, found)

        self.push_screen(HistoryScreen(self.session.store, self.chat.delete_conversation,
                                       self.session.conversation_id), opened)

    def action_picker(self, reason: str = "") -> None:
        from reasonchat.tui.screens.presets import PresetPicker

        if isinstance(self.screen, PresetPicker):
            return

        def chosen(choice: Choice | None) -> None:
            self.chat.refresh_header()  # the thinking switch applies even when the picker is left with Escape
            if choice is not None:
                self.session.choose(choice.preset, choice.model)
                self.chat.refresh_header()
                preset, model = self.session.describe()
                tell(self, f"Next message goes to {preset} · {model or 'the first model it serves'}")

        self.push_screen(PresetPicker(self.session, reason), chosen)

    def action_use_preset(self, name: str) -> None:
        self.session.choose(name, None)
        self.chat.refresh_header()
        tell(self, f"Next message goes to {name}")

    def action_compare(self, specs: list[ProviderOptions] | None = None,
                       conversations: list[int] | None = None) -> None:
        """F2: the compare screen, after choosing what to compare (or with `specs`, from --compare or a
        compare reopened from history with its `conversations`)."""
        from reasonchat.tui.screens.compare import CompareScreen
        from reasonchat.tui.screens.compare_picker import ComparePicker

        if isinstance(self.screen, CompareScreen | ComparePicker):
            return

        async def closed(picked: tuple[int, ProviderOptions] | None) -> None:
            if picked is not None:  # F5-F7: go on with that column, and its provider, in the chat
                conversation_id, options = picked
                self.session.choose(options.preset or "", options.model)
                await self.chat.open_conversation(conversation_id)

        def chosen(picked: list[ProviderOptions] | None) -> None:
            if picked:
                session = self.session
                self.push_screen(CompareScreen(session.config, picked, store_path=session.store_path,
                                               thinking=session.thinking, reasoning_mode=session.reasoning_mode,
                                               conversations=conversations), closed)

        if specs:
            chosen(specs)
        else:
            self.push_screen(ComparePicker(self.session), chosen)

    def action_use_role(self, name: str) -> None:
        self.session.set_settings(role=name)
        self.chat.refresh_header()
        tell(self, f"This conversation's role: {name}")

    def action_toggle_thinking(self) -> None:
        """F3: thinking on or off for the next answers (the picker's switch, everywhere)."""
        self.session.toggle_thinking()
        self.chat.refresh_header()
        self.setting_changed(f"Thinking {'on' if self.session.thinking else 'off'} for the next answers")

    def action_attach_file(self) -> None:
        """The palette's "Attach a file…": the picked file goes into the prompt as `@path`."""
        from reasonchat.core.attachments import quoted
        from reasonchat.text.sanitize import clean_line
        from reasonchat.tui.screens.attach_picker import AttachPicker

        def picked(path: str | None) -> None:
            if path:
                prompt = self.chat.prompt
                row, column = prompt.cursor_location
                line = prompt.document.get_line(row)
                before = column > 0 and not line[column - 1].isspace()
                prompt.insert((" " if before else "") + quoted(path) + " ")
                prompt.focus()
                self.setting_changed(f"📎 {clean_line(path, 120)} will be attached — Enter sends")

        self.push_screen(AttachPicker(), picked)

    def action_toggle_tools(self) -> None:
        """F4: the MCP servers' tools offered in this conversation, or not (kept with it)."""
        on = self.session.toggle_tools()
        provider = self.session.provider_if_ready()
        if on and provider is not None and not self.tooling.offered_for(provider, True):
            why = ("this preset takes no tools (tools = false)" if not provider.tools
                   else "no [mcp.*] servers are configured (README, \"Tools\")")
            self.setting_changed(f"Tools on for this conversation — but {why}")
        else:
            self.setting_changed(f"Tools {'on' if on else 'off'} for this conversation")

    def action_cycle_effort(self) -> None:
        """ctrl+g: how hard the model thinks — the preset's own, low, medium, high, max — shown as sent."""
        self.session.cycle_effort()
        self.chat.refresh_header()
        plan = self.session.plan()
        note = f" — {plan.notes[0]}" if plan.notes else ""
        self.setting_changed(f"Next answer: {plan.label()}{note}")

    def setting_changed(self, what: str) -> None:
        """A key that changes a setting says so in the status line, where each press replaces the last (five
        presses are one line, not five toasts); on another screen, in a notice."""
        if self.screen is self.chat:
            self.chat.status.say(what)
        else:
            tell(self, what, timeout=3)

    # -- the clipboard ---------------------------------------------------------------------------------------

    def _last_turn(self) -> AssistantTurn | StoredTurn | None:
        turns = [t for t in self.chat.turns() if t.reply.content or t.reply.reasoning]
        return turns[-1] if turns else None

    def _copy(self, text: str, what: str) -> None:
        """To the terminal's clipboard (OSC 52, which it may ignore) and the system's, or a file: clipboard.py."""
        if not text:
            tell(self, f"No {what} to copy yet", severity="warning", timeout=3)
            return
        self.copy_to_clipboard(text)
        self.run_worker(partial(self._copy_elsewhere, text, what), thread=True, group="clipboard")

    def _copy_elsewhere(self, text: str, what: str) -> None:
        from reasonchat.tui.clipboard import copy_elsewhere

        done = copy_elsewhere(text)
        self.call_from_thread(tell, self, f"The {what}: {done}", timeout=6)

    def action_copy_answer(self) -> None:
        turn = self._last_turn()
        self._copy(turn.reply.content if turn else "", "last answer")

    def action_copy_reasoning(self) -> None:
        turn = self._last_turn()
        self._copy(turn.reply.reasoning if turn else "", "last reasoning")

    def action_copy_code(self) -> None:
        from reasonchat.text.markdown import code_blocks

        turn = self._last_turn()
        blocks = code_blocks(turn.reply.content) if turn else []
        self._copy(blocks[-1] if blocks else "", "last code block")

    def action_copy_turn(self) -> None:
        """The last question and its answer as Markdown, the way an export writes them."""
        from reasonchat.tui.widgets.user_message import UserMessage

        turn = self._last_turn()
        users = list(self.chat.query(UserMessage))
        if turn is None or not users:
            self._copy("", "last turn")
            return
        self._copy(f"## You\n\n{users[-1].text}\n\n## Assistant\n\n{turn.reply.content}\n", "last turn as Markdown")

    async def on_unmount(self) -> None:
        self.stopping.set()
        with contextlib.suppress(Exception):  # every server process ends with the app
            await asyncio.wait_for(self.tooling.aclose(), 8.0)
        with contextlib.suppress(ReasonChatError):  # a store that refused an answer gets a last chance
            self.chat.save_unsaved()
        self.session.close()
        self.collector.uninstall()
        self._restore_signals()


def _driver_class() -> type[Driver] | None:
    """terminal.py's driver on POSIX terminals; elsewhere Textual's own."""
    if sys.platform == "win32":
        return None
    from reasonchat.tui.terminal import TerminalDriver

    return TerminalDriver


def make_app(config: Config, options: ProviderOptions, store_path: Path | None = None, remember: bool = True,
             open_at_start: OpenAtStart = None, compare: list[ProviderOptions] | None = None) -> ReasonChatApp:
    """The app for these options; with none given, the preset/model/thinking used last time."""
    state = load_state() if remember else None
    named = any((options.preset, options.base_url, options.demo))
    thinking = state.thinking if state is not None else True
    if state is not None and not any((options.preset, options.base_url, options.demo)) \
            and state.preset in config.presets:
        options = ProviderOptions(preset=state.preset, model=options.model or state.model or None,
                                  api_key_env=options.api_key_env)
    effort = (state.effort or None) if state is not None else None
    session = ChatSession(config=config, options=options, store_path=store_path, thinking=thinking, effort=effort,
                          reasoning_mode=config.ui.reasoning, remember=remember)
    app = ReasonChatApp(session, open_at_start)
    app.start_theme = state.theme if state is not None else ""
    app.provider_named = named
    app.compare_at_start = compare or []
    return app
