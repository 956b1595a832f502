"""The `reasonchat` command line: running what `reasonchat/cli/parser.py` parsed.

Each command imports what it needs when it runs — `ask` and `models` the SDK and an event loop, the TUI
Textual — so that the quick commands (`presets`, `history`, `completion --list …`, which runs at every Tab)
load none of it. Every `ReasonChatError` ends as one line on stderr with its exit code; a usage mistake is
one line too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonchat.cli import colour
from reasonchat.cli.parser import build_parser, parse
from reasonchat.errors import MissingKey, ReasonChatError, StoreError, UsageError
from reasonchat.text.sanitize import clean_line

if TYPE_CHECKING:
    from reasonchat.config import Config
    from reasonchat.providers import ProviderOptions

PIPE_CLOSED = 141  # 128 + SIGPIPE: what the shell reports for any program a closed pipe stopped


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(list(sys.argv[1:] if argv is None else argv))
    colour.configure(bool(getattr(args, "no_color", False)))
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # here, where a closed pipe can still be caught, not at the interpreter's exit
        return code
    except ReasonChatError as exc:
        said = f"{exc}, or try --demo" if isinstance(exc, MissingKey) else str(exc)
        _say(f"{colour.paint('reasonchat:', colour.BOLD + colour.RED, sys.stderr)} {clean_line(said, 2000)}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("reasonchat: cancelled")
        return 130
    except BrokenPipeError:
        return pipe_closed()


def pipe_closed() -> int:
    """The reader of our output left (`reasonchat ask … | head -1`). Nothing more can be written there, and
    Python must not try again at exit (its "Exception ignored … BrokenPipeError" noise): stdout is pointed
    at /dev/null. The exit code is the shell's own for this, so `set -o pipefail` scripts can tell a reader
    that stopped early (141) from a failure (1)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # not a real file (a test's capture): nothing to silence
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return PIPE_CLOSED


def _say(line: str) -> None:
    """A line on stderr, unless stderr itself is a closed pipe."""
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command in ("history", "export", "stats"):
        from reasonchat.cli import store_commands

        return int(getattr(store_commands, command)(args))
    if command in ("presets", "config"):
        from reasonchat.cli import config_commands

        return config_commands.presets(args) if command == "presets" else config_commands.config(args)
    runs = {"ask": _ask, "models": _models, "demo-server": _demo_server, "completion": _completion, "tools": _tools}
    return runs.get(command, _tui)(args)


def load_config(args: argparse.Namespace) -> Config:
    from reasonchat import config

    path = getattr(args, "config", None)
    return config.load(Path(path).expanduser() if path else None, required=bool(path))


def _options(args: argparse.Namespace) -> ProviderOptions:
    from reasonchat.providers import ProviderOptions

    return ProviderOptions(
        preset=getattr(args, "preset", None),
        model=getattr(args, "model", None),
        base_url=getattr(args, "base_url", None),
        api_key_env=getattr(args, "api_key_env", None),
        demo=bool(getattr(args, "demo", False)),
    )


def _ask(args: argparse.Namespace) -> int:
    import asyncio
    from dataclasses import replace

    from reasonchat import providers
    from reasonchat.cli import ask, compare
    from reasonchat.store.transcripts import TranscriptStore

    prompt = ask.read_prompt(args.prompt, sys.stdin)
    config = load_config(args)
    role = config.role(args.role) if args.role else None
    provider_options = _options(args)
    named = any(getattr(args, k, None) for k in ("preset", "base_url", "demo"))  # the command line's provider
    if role is not None and role.preset and not named:
        provider_options, named = replace(provider_options, preset=role.preset), True
    compared = None
    if args.compare:
        if args.continue_last or args.conversation is not None:
            raise UsageError("--compare starts new conversations: it does not go with -c or --conversation")
        compared = [providers.resolve(config, spec) for spec in providers.compare_specs(args.compare)]
    for flag, value in (("--budget", args.budget), ("--max-tokens", args.max_tokens)):
        if value is not None and value < 1:
            raise UsageError(f"{flag} must be 1 or more, not {value}")
    from reasonchat.core import attachments, schema  # (read and checked before anything is sent)

    limit = int(config.ui.attach_limit_mb * 1024 * 1024)
    attached = tuple(attachments.read(path, limit) for path in args.attach)
    wanted = schema.load(args.schema) if args.schema else None
    from reasonchat.cli.ask_options import AskOptions

    options = AskOptions(
        prompt=prompt, thinking=args.thinking, continue_last=args.continue_last, conversation=args.conversation,
        system=args.system or (role.system if role else None), hide_reasoning=args.hide_reasoning, json=args.json,
        save=not args.no_save, raw=args.raw, render=args.render, effort=args.effort or (role.effort if role else None)
        or None, budget=args.budget, max_tokens=args.max_tokens, temperature=role.temperature if role else None,
        role=role.name if role else None, tools=not args.no_tools, yes=args.yes, attachments=attached,
        schema=wanted,
    )
    try:
        store = TranscriptStore() if options.save else None
    except StoreError as exc:  # the answer can still be had: say how
        raise StoreError(f"{exc} (or ask with --no-save)") from None
    try:
        if compared:
            return asyncio.run(compare.run(compared, options, store, sys.stdout, sys.stderr))
        if store is not None and not named:
            provider_options = ask.continued_options(store, options, provider_options, config.presets)
        return asyncio.run(ask.run(providers.resolve(config, provider_options), options, store, tools=config.tools))
    finally:
        if store is not None:
            store.close()


def _models(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from reasonchat import providers
    from reasonchat.core.client import ChatClient

    provider = providers.resolve(load_config(args), _options(args))

    async def fetch() -> list[tuple[str, int | None]]:
        async with ChatClient(provider) as client:
            return [(model, client.window(model)) for model in await client.list_models()]

    models = asyncio.run(fetch())
    if args.json:  # (the ids, as it always was)
        print(json.dumps([model for model, _ in models], ensure_ascii=False))
    else:  # one id a line for scripts (`models | head -1`); on a terminal, each model's window where known
        people = sys.stdout.isatty()
        for model, window in models:
            print(clean_line(model) + (f"  (context {window:,} tokens)" if window and people else ""))
    return 0


def _tools(args: argparse.Namespace) -> int:
    import asyncio

    from reasonchat.cli import tools_command

    return asyncio.run(tools_command.run(load_config(args).tools, bool(getattr(args, "demo", False)), args.json))


def _completion(args: argparse.Namespace) -> int:
    from reasonchat.cli import completion

    if args.list:
        with contextlib.suppress(ReasonChatError):  # while completing, a broken config or store: nothing
            print("\n".join(completion.values(args.list)))
        return 0
    if not args.shell:
        raise UsageError('name the shell: reasonchat completion bash (or zsh, fish) — e.g. eval "$(reasonchat '
                         'completion bash)" in ~/.bashrc')
    commands = completion.describe(build_parser())
    print({"bash": completion.bash, "zsh": completion.zsh, "fish": completion.fish}[args.shell](commands), end="")
    return 0


def _demo_server(args: argparse.Namespace) -> int:
    from reasonchat.demo.server import DemoServer

    server = DemoServer(port=args.port)
    try:
        server.serve_forever_announcing()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror} — try another --port") from None
    return 0


def _tui(args: argparse.Namespace) -> int:
    """Everything the command line can get wrong is said here, before the screen, as `ask` says it: a bad
    --config, an unknown preset, a conversation that is not there."""
    from reasonchat import providers

    config = load_config(args)
    options = _options(args)
    providers.choose_preset(config, options)  # an unknown --preset is a usage error, as in every command
    compare_specs = providers.compare_specs(args.compare) if getattr(args, "compare", None) else None
    for spec in compare_specs or []:
        providers.choose_preset(config, spec)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError('the chat UI needs a terminal — in scripts and pipes use `reasonchat ask "…"`')
    open_at_start: Any = "last" if getattr(args, "continue_last", False) else getattr(args, "conversation", None)
    if isinstance(open_at_start, int):
        from reasonchat.store.transcripts import TranscriptStore

        with TranscriptStore() as store:
            store.require(open_at_start)
    from reasonchat.tui.app import make_app  # Textual is imported only here

    app = make_app(config, options, open_at_start=open_at_start, compare=compare_specs)
    app.run()
    return app.return_code or 0
