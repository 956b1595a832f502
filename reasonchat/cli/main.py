"""The `reasonchat` command line: running what `reasonchat/cli/parser.py` parsed.

Nothing is imported up front, so `--version` and argument errors are instant; each sub-command imports what
it needs, and Textual is imported only when the TUI starts. Every `ReasonChatError` ends as
one line on stderr with its exit code; a usage mistake is one line too, never argparse's two.
"""

from __future__ import annotations

import sys

from reasonchat.cli.parser import build_parser, parse

TYPE_CHECKING = False  # mypy reads this as true; importing `typing` would cost `--version` ~10 ms
if TYPE_CHECKING:  # argparse and typing stay off the `--version` path
    import argparse
    from collections.abc import Sequence
    from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    _quick_exit()
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = parse(args_list)
    from reasonchat.cli import colour
    from reasonchat.errors import ReasonChatError

    colour.configure(bool(getattr(args, "no_color", False)))
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # here, where a closed pipe can still be caught, not at the interpreter's exit
        return code
    except ReasonChatError as exc:
        from reasonchat.cli.colour import BOLD, RED, paint
        from reasonchat.text.sanitize import clean_line

        _say(f"{paint('reasonchat:', BOLD + RED, sys.stderr)} {clean_line(str(exc), 2000)}")  # one line, text
        return exc.exit_code
    except KeyboardInterrupt:
        _say("reasonchat: cancelled")
        return 130
    except BrokenPipeError:
        return _pipe_closed()


def _quick_exit() -> None:
    """At exit, leave what the process allocated to the OS instead of Python's last full garbage collection.

    The collection walks every object the imports made (argparse, sqlite3, the store…) only for the memory to
    be released anyway: 2–3 ms of a quick command's ~25 (P8' in benchmarks/README.md). Frozen objects are
    skipped by it; they are freed when the process ends. Nothing waits on it: the store is closed, output
    flushed, and every file written explicitly before `main` returns."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however often `main` runs in one process (tests)
    atexit.register(gc.freeze)


PIPE_CLOSED = 141  # 128 + SIGPIPE: what the shell reports for any program a closed pipe stopped


def _pipe_closed() -> int:
    """The reader of our output left (`reasonchat ask … | head -1`). Nothing more can be written there, and
    Python must not try again at exit (its "Exception ignored … BrokenPipeError" noise): stdout is pointed
    at /dev/null. The exit code is the shell's own for this, so `set -o pipefail` scripts can tell a reader
    that stopped early (141) from a failure (1)."""
    import contextlib
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # not a real file (a test's capture): nothing to silence
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return PIPE_CLOSED


def _say(line: str) -> None:
    """A line on stderr, unless stderr itself is a closed pipe."""
    import contextlib

    with contextlib.suppress(OSError):
        print(line, file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "ask":
        return _ask(args)
    if command in ("history", "export", "stats"):
        from reasonchat.cli import store_commands

        return int(getattr(store_commands, command)(args))
    if command in ("presets", "config"):
        from reasonchat.cli import config_commands

        return config_commands.presets(args) if command == "presets" else config_commands.config(args)
    if command == "models":
        return _models(args)
    if command == "demo-server":
        return _demo_server(args)
    if command == "completion":
        return _completion(args)
    return _tui(args)


def load_config(args: argparse.Namespace) -> Any:
    from pathlib import Path

    from reasonchat import config

    path = getattr(args, "config", None)
    return config.load(Path(path).expanduser() if path else None, required=bool(path))


def _options(args: argparse.Namespace) -> Any:
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

    from reasonchat import providers
    from reasonchat.cli import ask
    from reasonchat.errors import StoreError
    from reasonchat.records import replace
    from reasonchat.store.transcripts import TranscriptStore

    prompt = ask.read_prompt(args.prompt, sys.stdin)
    config = load_config(args)
    role = config.role(args.role) if args.role else None
    provider_options = _options(args)
    if role is not None and role.preset and not any(getattr(args, k, None) for k in ("preset", "base_url", "demo")):
        provider_options = replace(provider_options, preset=role.preset)
    compared = None
    if args.compare:
        from reasonchat.cli import compare
        from reasonchat.errors import UsageError

        if args.continue_last or args.conversation is not None:
            raise UsageError("--compare starts new conversations: it does not go with -c or --conversation")
        compared = [providers.resolve(config, spec) for spec in compare.parse_specs(args.compare)]
    provider = compared[0] if compared else providers.resolve(config, provider_options)
    options = ask.AskOptions(
        prompt=prompt, thinking=args.thinking, continue_last=args.continue_last, conversation=args.conversation,
        system=args.system or (role.system if role else None), hide_reasoning=args.hide_reasoning, json=args.json,
        save=not args.no_save, raw=args.raw, render=args.render, effort=args.effort or (role.effort if role else None)
        or None, budget=args.budget, max_tokens=args.max_tokens, temperature=role.temperature if role else None,
        role=role.name if role else None,
    )
    for flag, value in (("--budget", args.budget), ("--max-tokens", args.max_tokens)):
        if value is not None and value < 1:
            from reasonchat.errors import UsageError

            raise UsageError(f"{flag} must be 1 or more, not {value}")
    try:
        store = TranscriptStore() if options.save else None
    except StoreError as exc:  # the answer can still be had: say how
        raise StoreError(f"{exc} (or ask with --no-save)") from None
    try:
        if compared:
            from reasonchat.cli import compare

            return asyncio.run(compare.run(compared, options, store, sys.stdout, sys.stderr))
        return asyncio.run(ask.run(provider, options, store))
    finally:
        if store is not None:
            store.close()


def _models(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from reasonchat import providers
    from reasonchat.core.client import ChatClient
    from reasonchat.text.sanitize import clean_line

    provider = providers.resolve(load_config(args), _options(args))

    async def fetch() -> list[str]:
        async with ChatClient(provider) as client:
            return await client.list_models()

    models = asyncio.run(fetch())
    if args.json:
        print(json.dumps(models, ensure_ascii=False))
    else:
        for model in models:
            print(clean_line(model))
    return 0


def _completion(args: argparse.Namespace) -> int:
    from reasonchat.cli import completion

    if args.list:
        import contextlib

        from reasonchat.errors import ReasonChatError

        with contextlib.suppress(ReasonChatError):  # while completing, a broken config or store: nothing
            print("\n".join(completion.values(args.list)))
        return 0
    if not args.shell:
        from reasonchat.errors import UsageError

        raise UsageError('name the shell: reasonchat completion bash (or zsh, fish) — e.g. eval "$(reasonchat '
                         'completion bash)" in ~/.bashrc')
    commands = completion.describe(build_parser(None))
    print({"bash": completion.bash, "zsh": completion.zsh, "fish": completion.fish}[args.shell](commands), end="")
    return 0


def _demo_server(args: argparse.Namespace) -> int:
    from reasonchat.demo.server import DemoServer

    server = DemoServer(port=args.port)
    try:
        server.serve_forever_announcing()
    except OSError as exc:
        from reasonchat.errors import UsageError

        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror} — try another --port") from None
    return 0


def _tui(args: argparse.Namespace) -> int:
    config = load_config(args)  # a bad or missing --config is the first thing to say
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        from reasonchat.errors import UsageError

        raise UsageError('the chat UI needs a terminal — in scripts and pipes use `reasonchat ask "…"`')
    open_at_start: Any = "last" if getattr(args, "continue_last", False) else getattr(args, "conversation", None)
    if isinstance(open_at_start, int):  # a conversation that is not there is a usage error, before the screen
        from reasonchat.store.transcripts import TranscriptStore

        with TranscriptStore() as store:
            store.require(open_at_start)
    from reasonchat.tui.app import make_app  # Textual is imported only here

    compare_specs = None
    if getattr(args, "compare", None):
        from reasonchat.cli.compare import parse_specs

        compare_specs = parse_specs(args.compare)
        for spec in compare_specs:
            config.preset(spec.preset or "")  # an unknown preset is a usage error, before the screen
    app = make_app(config, _options(args), open_at_start=open_at_start, compare=compare_specs)
    app.run()
    return app.return_code or 0
