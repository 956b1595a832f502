"""One column of a compare: a provider's own conversation (its own `ChatSession`, so its own row in the
store), its answers as ordinary turns — reasoning block, answer, ending note — and a footer with the numbers
that decide a compare: time to first token, thinking time, tokens, speed and cost.

A column streams on a worker of its own: a failure, or the user stopping it (its F-key), ends that column
alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static
from textual.worker import Worker

from reasonchat.text.sanitize import clean_line
from reasonchat.tui.session import ChatSession
from reasonchat.tui.widgets.status_bar import live_line, usage_line

if TYPE_CHECKING:
    from reasonchat.core.provider import Provider
    from reasonchat.core.reply import Reply
    from reasonchat.tui.widgets.turn import AssistantTurn


def footer_line(reply: Reply) -> str:
    """"first token 0.4 s · thought 3.1 s · 812 tokens · 95 tok/s · ¥0.0031", or what it is doing now."""
    if not reply.done:
        return live_line(reply).replace(" · Escape stops", "")
    thought = f"thought {reply.reasoning_seconds:.1f} s · " if reply.reasoning_seconds else ""
    return thought + usage_line(reply)


class CompareColumn(Vertical):
    DEFAULT_CSS = """
    CompareColumn { width: 1fr; height: 1fr; border: round $panel-lighten-2; padding: 0 0; }
    CompareColumn.-failed { border: round $error; }
    CompareColumn > .compare-column--title { height: 1; padding: 0 1; text-style: bold; background: $boost; }
    CompareColumn > VerticalScroll { height: 1fr; scrollbar-size-vertical: 1; }
    CompareColumn > .compare-column--footer { height: auto; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, number: int, session: ChatSession) -> None:
        super().__init__()
        self.number = number
        self.session = session
        self.provider: Provider | None = None
        self.live: AssistantTurn | None = None
        self.worker: Worker[None] | None = None

    def compose(self) -> ComposeResult:
        preset, model = self.session.describe()
        key = f"F{self.number + 4}"
        yield Static(clean_line(f"{self.number} · {preset} · {model or 'first served'}   {key}", 80), markup=False,
                     classes="compare-column--title")
        yield VerticalScroll()
        yield Static("", markup=False, classes="compare-column--footer")

    def on_mount(self) -> None:
        if self.session.conversation_id is not None:  # a compare reopened from history: its answers so far
            self.show_stored()

    def show_stored(self) -> None:
        from reasonchat.tui.widgets.stored_turn import StoredTurn
        from reasonchat.tui.widgets.user_message import UserMessage

        assert self.session.conversation_id is not None
        widgets: list[Any] = []
        for m in self.session.store.messages(self.session.conversation_id):
            if m.role == "user":
                widgets.append(UserMessage(m.content, m.id, m.attachments))
            elif m.role == "assistant":
                widgets.append(StoredTurn(m.to_reply(), self.session.reasoning_mode, m.id))
        self.turns.mount_all(widgets)
        self.turns.anchor()

    @property
    def turns(self) -> VerticalScroll:
        return self.query_one(VerticalScroll)

    @property
    def streaming(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    def say(self, text: str) -> None:
        self.query_one(".compare-column--footer", Static).update(clean_line(text, 300))

    async def tick(self) -> None:
        live = self.live  # (the answer may end while this one is drawn)
        if live is not None:
            await live.tick()
            self.say(footer_line(live.reply))

    def start(self, prompt: str) -> None:
        """Send `prompt` in this column's own conversation and stream the answer."""
        from reasonchat.core.conversation import build_request
        from reasonchat.core.cost import price_for
        from reasonchat.core.reply import Reply
        from reasonchat.errors import UsageError
        from reasonchat.tui.widgets.turn import AssistantTurn
        from reasonchat.tui.widgets.user_message import UserMessage

        assert self.provider is not None
        provider, session = self.provider, self.session
        try:
            attached = session.attachments_for(prompt, provider)
        except UsageError as exc:  # (this column's model takes no images: it says so, the others answer)
            self.say(str(exc))
            self.add_class("-failed")
            return
        sending = session.send(prompt, attached)
        overrides = session.request_overrides()
        model = provider.model or session.served_model or "the server's model"
        reply = Reply(model=model, preset=provider.name, price=price_for(provider.price, model),
                      sent=overrides.pop("sent"))
        turn = AssistantTurn(reply, session.reasoning_mode)
        self.turns.mount(UserMessage(sending.prompt, sending.user_id, sending.attachments))
        self.turns.mount(turn)
        self.turns.anchor()
        self.remove_class("-failed")
        self.live = turn
        request = build_request(sending.history, sending.prompt, system=overrides.pop("system"),
                                send_reasoning=provider.send_reasoning, tool_reasoning=provider.tool_reasoning,
                                attachments=sending.attachments)
        self.worker = self.run_worker(self._generate(turn, request, provider, overrides), group="compare",
                                      exit_on_error=False)

    def stop(self) -> bool:
        """Stop this column's answer (what arrived stays, saved as stopped); True if one was streaming."""
        if self.streaming and self.worker is not None:
            self.worker.cancel()
            return True
        return False

    async def _generate(self, turn: AssistantTurn, request: list[dict[str, Any]], provider: Provider,
                        overrides: dict[str, Any]) -> None:
        from reasonchat.tui.answering import answer

        session, reply = self.session, turn.reply
        writer = session.writer(reply)
        try:
            await answer(session, provider, request, reply, writer, overrides)
        finally:
            session.finish(writer)
            turn.message_id = writer.message_id
            self.live = None
            if self.is_attached:
                await turn.finish()
                self.say(footer_line(reply))
                self.set_class(reply.status in ("error", "interrupted"), "-failed")
