"""`reasonchat ask`: one question, streamed to stdout (answer) and stderr (reasoning), saved as it arrives.

Exit codes: 0 done; 1 provider or stream failure (what arrived is saved, marked interrupted) or a store
that could not be written (the answer is still printed in full, then one line says why it is not saved); 2 usage or
config error (raised as ConfigError/UsageError before anything is sent); 130 cancelled with Ctrl+C and
143 on SIGTERM (what arrived is saved, marked stopped); 141 when the reader of the output closed the pipe
(`ask … | head -1`: the request stops, what arrived is saved as stopped; the command line sets the code).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import Collection
from dataclasses import replace
from typing import Any, TextIO

from reasonchat.cli.approval import Approval
from reasonchat.cli.ask_options import AskOptions
from reasonchat.cli.colour import enabled as colour_enabled
from reasonchat.cli.printer import Printer
from reasonchat.core.attachments import refused_image
from reasonchat.core.conversation import Message, build_request, normalize_newlines
from reasonchat.core.cost import price_for
from reasonchat.core.effort import budget_exhausted, lower, thinking_ignored
from reasonchat.core.events import AnswerDelta, AnswerWasReasoning, CallChanged, ReasoningDelta, StreamFailed
from reasonchat.core.provider import Provider
from reasonchat.core.reply import Reply
from reasonchat.core.schema import check
from reasonchat.errors import ProviderError, StoreError, UsageError
from reasonchat.providers import ProviderOptions
from reasonchat.store.transcripts import TranscriptStore
from reasonchat.store.writer import ReplyWriter, run_flusher
from reasonchat.text.sanitize import clean, clean_line
from reasonchat.tools import loop
from reasonchat.tools.settings import ToolsConfig, with_demo


def read_prompt(prompt: str | None, stdin: TextIO) -> str:
    """The prompt argument, or stdin for `-` (or when no prompt is given and stdin is not a terminal)."""
    if prompt == "-" or (prompt is None and not stdin.isatty()):
        try:
            prompt = stdin.read()
        except UnicodeDecodeError:
            raise UsageError("stdin is not UTF-8 text") from None
    if prompt is None or not prompt.strip():
        raise UsageError('no prompt — give one as an argument (reasonchat ask "…") or on stdin (… | reasonchat ask -)')
    return normalize_newlines(prompt)


def _continued(store: TranscriptStore | None, options: AskOptions) -> int | None:
    """The conversation `-c` or `--conversation` continues (None for a new one)."""
    if not (options.continue_last or options.conversation is not None):
        return None
    if store is None:
        raise UsageError("-c/--conversation needs the store; drop --no-save to continue a conversation")
    conversation_id = options.conversation
    if conversation_id is None:
        conversation_id = store.last_conversation_id()
        if conversation_id is None:
            raise UsageError("no earlier conversation to continue (-c) — ask without -c first")
    store.require(conversation_id)
    return conversation_id


def continued_options(store: TranscriptStore, options: AskOptions, provider: ProviderOptions,
                      presets: Collection[str]) -> ProviderOptions:
    """A continued conversation goes on with the preset and model it used, unless the command line names
    another (the caller passes `provider` unchanged then). A conversation held with an ad-hoc provider
    (`--base-url`) cannot be found again without its URL: that is said rather than guessed."""
    conversation_id = _continued(store, options)
    if conversation_id is None:
        return provider
    used = store.require(conversation_id)
    if used.preset == "ad-hoc":
        raise UsageError(f"conversation {conversation_id} was with an ad-hoc provider — give its --base-url "
                         "(and --model) again to continue it")
    if used.preset not in presets:  # a preset since removed from the config: the default, as before
        return provider
    return replace(provider, preset=used.preset, demo=False, model=provider.model or used.model or None)


def _history(store: TranscriptStore | None, options: AskOptions) -> tuple[int | None, list[Message]]:
    conversation_id = _continued(store, options)
    if conversation_id is None or store is None:
        return None, []
    messages = [Message(m.role, m.content, m.reasoning, m.status, m.rounds, m.attachments)
                for m in store.messages(conversation_id)]
    return conversation_id, messages


async def run(
    provider: Provider,
    options: AskOptions,
    store: TranscriptStore | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    tools: ToolsConfig | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    conversation_id, history = _history(store, options)
    if store is not None and conversation_id is not None:  # a continued conversation keeps its own settings
        saved = store.settings(conversation_id)
        options = replace(options, role=options.role or saved.get("role"),
                          temperature=options.temperature if options.temperature is not None
                          else saved.get("temperature"), max_tokens=options.max_tokens or saved.get("max_tokens"))
    request = build_request(history, options.prompt, system=options.system,
                            send_reasoning=provider.send_reasoning, tool_reasoning=provider.tool_reasoning,
                            attachments=options.attachments)
    body: dict[str, Any] = {}
    if options.schema is not None:  # asked as the provider takes it; DeepSeek's mode reads it from the system
        body, note = options.schema.request(provider.schema_mode)
        if note and request[0]["role"] == "system":
            request[0] = {**request[0], "content": f"{request[0]['content']}\n\n{note}"}
        elif note:
            request.insert(0, {"role": "system", "content": note})
    from reasonchat.core.client import ChatClient  # the SDK is imported only when a request is made

    box = await _toolbox(tools, provider, options, err)
    try:
        async with ChatClient(provider) as client:
            return await _ask(client, provider, options, store, request, body, conversation_id, history, box,
                              tools.max_rounds if tools else 0, out, err)
    finally:
        if box is not None:
            await box.aclose()


async def _toolbox(tools: ToolsConfig | None, provider: Provider, options: AskOptions, err: TextIO) -> Any:
    """The configured servers, started, when this ask offers tools (each that failed said in one line)."""
    if tools is not None and provider.name == "demo":
        tools = with_demo(tools)
    if tools is None or not tools.enabled or not provider.tools or not options.tools:
        return None
    from reasonchat import paths
    from reasonchat.tools.toolbox import ToolBox

    box = ToolBox(tools, paths.data_dir() / "logs")
    await box.start()
    for server in box.servers.values():
        if server.status != "started":
            err.write(f"reasonchat: tools: {server.config.name} did not start — {server.reason}\n")
    return box


async def _ask(client: Any, provider: Provider, options: AskOptions, store: TranscriptStore | None,
               request: list[dict[str, Any]], body: dict[str, Any], conversation_id: int | None,
               history: list[Message], box: Any, max_rounds: int, out: TextIO, err: TextIO) -> int:
    try:
        model = provider.model or await client.resolve_model()
    except ProviderError as exc:  # the server lists no model: reported like any other failed request
        failed = Reply(model="", preset=provider.name)
        failed.apply(StreamFailed(str(exc)))
        return _finish(failed, options, provider, None, None, out, err)
    sent = [a for m in history for a in m.attachments] + list(options.attachments)
    images = [a.name for a in sent if a.kind == "image"]
    refused = refused_image(images, provider.takes_images(model), provider.name, model)  # (earlier ones go again)
    if refused:  # before anything is sent or saved
        raise UsageError(refused)
    writer = None
    if store is not None:
        if conversation_id is None:
            conversation_id = store.create_conversation(
                provider.name, model, options.prompt, {"role": options.role, "temperature": options.temperature})
        previous = [m.content for m in history if m.role == "system"]
        if options.system and (not previous or previous[-1] != options.system):
            store.add_message(conversation_id, "system", options.system)
        store.add_message(conversation_id, "user", options.prompt, attachments=options.attachments)
    reply = Reply(model=model, preset=provider.name, price=price_for(provider.price, model),
                  sent=provider.plan(options.thinking, options.effort, options.budget).label())
    if store is not None and conversation_id is not None:
        writer = ReplyWriter(store, conversation_id, reply)
    printer = Printer(options, out, err, colour_enabled(err))
    events = loop.answer(client, request, toolbox=box, approve=Approval(options.yes, err), max_rounds=max_rounds,
                         keep_reasoning=provider.tool_reasoning, model=model, thinking=options.thinking,
                         effort=options.effort, budget=options.budget, max_tokens=options.max_tokens,
                         temperature=options.temperature, body=body or None)
    code = await _consume(events, reply, writer, printer)
    printer.rendered(reply.content)
    printer.close()
    if printer.pipe_closed:  # its reader left before it was all written: what they saw was cut short
        reply.stop(ended_too=True)
    message_id, unsaved = None, None
    if writer is not None:
        try:
            message_id = writer.flush()
        except StoreError as exc:  # the answer was printed in full; say it is not on disk
            unsaved = str(exc)
    if printer.pipe_closed:  # saved as stopped; the command line ends it with the pipe convention
        raise BrokenPipeError
    result = _finish(reply, options, provider, conversation_id, message_id, out, err, client.window(model))
    if unsaved is not None:
        err.write(f"reasonchat: the answer is not saved — {unsaved}\n")
        return code or result or 1
    return code or result


async def _consume(stream: Any, reply: Reply, writer: ReplyWriter | None, printer: Printer) -> int:
    """Stream into `reply`; returns 130/143 if cancelled (Ctrl+C / SIGTERM), else 0."""
    task = asyncio.current_task()
    terminated = False

    def on_term() -> None:
        nonlocal terminated
        terminated = True
        if task is not None:
            task.cancel()

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, on_term)
    flusher = asyncio.create_task(run_flusher(writer)) if writer is not None else None
    try:
        async with contextlib.aclosing(stream) as events:
            async for event in events:
                reply.apply(event)
                if isinstance(event, ReasoningDelta):
                    printer.reasoning(event.text)
                elif isinstance(event, AnswerDelta):
                    printer.answer(event.text)
                elif isinstance(event, AnswerWasReasoning):
                    printer.end_reasoning()
                elif isinstance(event, CallChanged):
                    printer.call(event.call)
                if printer.pipe_closed:  # `ask … | head`: what arrived is kept, as when the user stops it
                    reply.stop()
                    break
                if writer is not None:
                    writer.maybe_flush()
    except asyncio.CancelledError:
        reply.stop()
        return 143 if terminated else 130
    finally:
        if flusher is not None:
            flusher.cancel()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)
    return 0


def _finish(reply: Reply, options: AskOptions, provider: Provider, conversation_id: int | None,
            message_id: int | None, out: TextIO, err: TextIO, window: int | None = None) -> int:
    tidy = (lambda s: s) if options.raw else clean
    checked = check(reply.content, options.schema) if options.schema is not None and reply.status == "complete" \
        else None
    plan = provider.plan(options.thinking, options.effort, options.budget)
    max_tokens = options.max_tokens or provider.max_tokens
    usage_tokens = reply.usage.reasoning_tokens if reply.usage is not None else None
    ignored = thinking_ignored(plan, reply.reasoning)
    exhausted = budget_exhausted(reply.finish_reason, reply.reasoning, reply.content, usage_tokens, max_tokens)
    if options.json:
        usage = reply.usage.raw if reply.usage is not None else None
        seconds = reply.reasoning_seconds
        record = {
            "conversation_id": conversation_id,
            "message_id": message_id,
            "preset": provider.name,
            "model": tidy(reply.model),
            "reasoning": tidy(reply.reasoning),
            "content": tidy(reply.content),
            "finish_reason": reply.finish_reason,
            "usage": usage,
            "interrupted": reply.status in ("interrupted", "stopped"),
            "error": clean_line(reply.error, 2000) if reply.error else None,
            "reasoning_seconds": round(seconds, 3) if seconds is not None else None,
            "sent": plan.record(),
            "cost": reply.cost.record() if reply.cost is not None else None,
            "think_ignored": ignored,
            "tools": [call.record() for call in reply.all_calls],
            "context": {"used": reply.context_used, "window": window},
        }
        if options.schema is not None:
            record["parsed"] = checked.parsed if checked is not None and not checked.problem else None
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    if checked is not None and not options.json and not checked.problem:
        out.write(checked.text + "\n")  # stdout: the document, and nothing else
        out.flush()
    if reply.status == "stopped":
        err.write("reasonchat: stopped — what arrived is saved\n")
        return 130
    if checked is not None and checked.problem:
        err.write(f"reasonchat: {clean_line(checked.problem, 300)} (the answer is saved)\n")
        return 1
    if reply.note:
        err.write(f"reasonchat: note: {clean_line(reply.note, 400)}\n")
    if reply.error:  # provider text (it may quote a hostile model id): always cleaned, even with --raw
        err.write(f"reasonchat: {clean_line(reply.error, 2000)}\n")
        return 1
    for note in plan.notes:
        err.write(f"reasonchat: note: {note}\n")
    if ignored:
        err.write("reasonchat: note: thinking was switched off, but the model reasoned anyway\n")
    if exhausted:
        larger = 2 * max_tokens if max_tokens else 8192
        err.write(f"reasonchat: {exhausted} — try again with --max-tokens {larger}, or --effort "
                  f"{lower(plan.effort)}\n")
    elif reply.finish_reason == "length":
        err.write("reasonchat: the answer was cut at the max tokens limit (finish_reason: length)\n")
    elif reply.finish_reason not in ("stop", None):
        err.write(f"reasonchat: the answer ended early (finish_reason: {clean_line(str(reply.finish_reason), 80)})\n")
    return 0


