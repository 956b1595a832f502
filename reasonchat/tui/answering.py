"""One answer, from the request to the store: what the chat's answer and each compare column share.

The provider's client streams into the `Reply` (and, through the writer, into the store as it arrives);
the served model is told to the session; a `cut` event set while the model still thinks (ctrl+f) stops
that request and asks again with thinking off and the reasoning so far quoted — the turn is then marked
"cut short". With tools on (`session.tooling`), the tool loop streams the answer and all its rounds.
Screens own the drawing (their tick) and what they say after; none of that is here, and no
widget is.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING, Any

from reasonchat.errors import ReasonChatError

if TYPE_CHECKING:
    from reasonchat.core.events import StreamEvent
    from reasonchat.core.provider import Provider
    from reasonchat.core.reply import Reply
    from reasonchat.store.writer import ReplyWriter
    from reasonchat.tui.session import ChatSession


async def answer(session: ChatSession, provider: Provider, request: list[dict[str, Any]], reply: Reply,
                 writer: ReplyWriter, overrides: dict[str, Any], cut: asyncio.Event | None = None,
                 on_model: Callable[[], object] | None = None) -> None:
    """Stream the answer to `request` into `reply`. A failure ends as the reply's error, never raised;
    cancelling (Escape, F5-F7) raises CancelledError with the reply marked stopped. The writer's flushing
    runs alongside; the final save is the caller's (`session.finish`). `on_model`: called once the model
    that answers is known (a header naming vLLM's first served model)."""
    from reasonchat.core.client import ChatClient  # the SDK loads here, never before the first paint
    from reasonchat.core.conversation import answer_now_request
    from reasonchat.core.cost import price_for
    from reasonchat.core.events import StreamFailed
    from reasonchat.store.writer import run_flusher

    flusher = asyncio.create_task(run_flusher(writer))
    try:
        async with ChatClient(provider) as client:
            try:
                model = provider.model or await client.resolve_model()
            except ReasonChatError as exc:
                reply.apply(StreamFailed(str(exc)))
                return
            reply.model = model
            reply.window = client.window(model)
            session.served(model)
            if on_model is not None:
                on_model()
            if reply.price is None and provider.price:
                reply.price = price_for(provider.price, model)
            tooling = session.tooling
            box = None
            if tooling is not None:
                if starting := tooling.to_start(provider, session.tools_on()):
                    reply.waiting_on = f"the tools' servers to start ({', '.join(starting)})"
                box = await tooling.box(provider, session.tools_on())
                reply.waiting_on = ""
            reply.started = time.monotonic()  # the request goes now: its first token is timed from here
            if box is not None:
                from reasonchat.tools import loop

                events = loop.answer(client, request, toolbox=box, approve=tooling.approve,
                                     max_rounds=tooling.max_rounds, keep_reasoning=provider.tool_reasoning,
                                     model=model, thinking=session.thinking, **overrides)
            else:
                events = client.stream(request, model=model, thinking=session.thinking, **overrides)
            if await _fold(events, session, reply, writer, cut) and cut is not None:
                cut.clear()  # ctrl+f: the thinking so far goes with the question, and thinking is off
                reply.reasoning_cut = True
                reply.reasoning_ended_at = time.monotonic()
                again = answer_now_request(request, reply.reasoning)
                rest = {k: v for k, v in overrides.items() if k != "effort"}
                await _fold(client.stream(again, model=model, thinking=False, **rest), session, reply, writer, None)
    except asyncio.CancelledError:
        reply.stop()
        raise
    except ReasonChatError as exc:  # the client could not be built (a proxy that cannot be used)
        reply.apply(StreamFailed(str(exc)))
    finally:
        flusher.cancel()


async def _fold(events: AsyncGenerator[StreamEvent, None], session: ChatSession, reply: Reply,
                writer: ReplyWriter, cut: asyncio.Event | None) -> bool:
    """Fold a stream into `reply`; True when `cut` was set while the model was still thinking."""
    from reasonchat.core.events import Finished, StreamFailed

    async with contextlib.aclosing(events) as stream:
        async for event in stream:
            if cut is not None and cut.is_set() and not reply.answer_chunks:
                return True
            reply.apply(event)
            writer.maybe_flush()
            if isinstance(event, Finished | StreamFailed) and event.model:
                session.served(event.model)
    return False
