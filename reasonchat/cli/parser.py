"""The `reasonchat` command line's definition (a contract: see DESIGN.md "Command line"): every command and
option, with a line of help each. `reasonchat/cli/main.py` runs what is parsed here. A usage mistake is one
line, never argparse's two.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NoReturn

from reasonchat import __version__


class _Parser(argparse.ArgumentParser):
    """Errors as one line that says where the help is."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


DESCRIPTION = """A terminal chat client for reasoning models: the reasoning streams apart from the answer, every
conversation is saved. With no COMMAND it opens the chat UI."""
EXAMPLES = """examples:
  reasonchat --demo                         the chat UI on the built-in offline demo model (no key)
  reasonchat ask --effort low "2+2?"        one question from a script; the answer on stdout

`reasonchat COMMAND --help` describes a command's options."""


def _provider_options(parser: argparse.ArgumentParser, default: Any = None) -> None:
    group = parser.add_argument_group("provider options")
    group.add_argument("--preset", metavar="NAME", default=default, help="a preset from `reasonchat presets`")
    group.add_argument("--model", metavar="ID", default=default, help="the model id to ask")
    group.add_argument("--base-url", metavar="URL", default=default, help="an OpenAI-compatible endpoint")
    group.add_argument("--api-key-env", metavar="VAR", default=default, help="environment variable with the key")
    group.add_argument("--config", metavar="PATH", default=default, help="config file to read")
    group.add_argument("--demo", action="store_true", default=default if default is not None else False,
                       help="use the built-in offline demo provider")


def parse(argv: list[str]) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = _Parser(prog="reasonchat", description=DESCRIPTION, epilog=EXAMPLES,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"reasonchat {__version__}")
    parser.add_argument("--no-color", action="store_true", help="no colour in our own output (also: NO_COLOR=1)")
    _provider_options(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-c", "--continue", dest="continue_last", action="store_true",
                       help="open the last conversation again")
    where.add_argument("--conversation", metavar="ID", type=int, help="open conversation ID (see `history`)")
    parser.add_argument("--compare", metavar="PRESET[:MODEL],…", help="open on a compare of 2 or 3 presets")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (summary, add_arguments) in _COMMANDS.items():
        command = sub.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
        add_arguments(command)
        command.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS,
                             help="no colour in our own output (also: NO_COLOR=1)")
    return parser


def _ask_arguments(ask: argparse.ArgumentParser) -> None:
    # Sub-commands repeat the provider options with SUPPRESS defaults so that values given after the
    # sub-command name do not get reset by argparse's sub-parser defaults.
    _provider_options(ask, argparse.SUPPRESS)
    think = ask.add_mutually_exclusive_group()
    think.add_argument("--think", dest="thinking", action="store_const", const=True, default=None,
                       help="switch the model's thinking on (default: the provider's own setting)")
    think.add_argument("--no-think", dest="thinking", action="store_const", const=False,
                       help="switch the model's thinking off")
    where = ask.add_mutually_exclusive_group()
    where.add_argument("-c", dest="continue_last", action="store_true", help="continue the last conversation")
    where.add_argument("--conversation", metavar="ID", type=int, help="continue conversation ID")
    ask.add_argument("--system", metavar="TEXT", help="system prompt")
    ask.add_argument("--hide-reasoning", action="store_true", help="do not print the reasoning")
    ask.add_argument("--json", action="store_true", help="print one JSON object at the end instead")
    ask.add_argument("--no-save", action="store_true", help="do not save this exchange")
    ask.add_argument("--raw", action="store_true", help="do not strip control characters from model text")
    ask.add_argument("--render", action="store_true",
                     help="print the answer rendered as Markdown (through Rich) once it is complete")
    ask.add_argument("--effort", metavar="LEVEL", choices=("off", "low", "medium", "high", "max"),
                     help="how much to think: off, low, medium, high or max (mapped to what the provider takes)")
    ask.add_argument("--budget", metavar="N", type=int, help="at most N reasoning tokens, where the provider "
                     "takes a number")
    ask.add_argument("--max-tokens", metavar="N", type=int, help="at most N tokens of reasoning and answer")
    ask.add_argument("--role", metavar="NAME", help="a [roles.NAME] of the config: its system prompt (and its "
                     "preset, effort and temperature unless given here)")
    ask.add_argument("-a", "--attach", metavar="PATH", action="append", default=[],
                     help="attach a file: text goes with the question, an image to a model that takes images "
                          "(repeatable)")
    ask.add_argument("--schema", metavar="SCHEMA", help="the answer must be JSON fitting this JSON Schema (a file, "
                     "or the schema as JSON): stdout gets the document, exit 1 when it does not fit")
    ask.add_argument("--no-tools", action="store_true", help="offer the model no tools (the [mcp.*] servers)")
    ask.add_argument("--yes", action="store_true", help="allow every tool call without asking")
    ask.add_argument("--compare", metavar="PRESET[:MODEL],…",
                     help="ask 2 or 3 presets at once; each answer is printed under its name, in the order given")
    ask.add_argument("prompt", nargs="?", metavar="PROMPT", help="the question, or - to read stdin")


def _history_arguments(history: argparse.ArgumentParser) -> None:
    history.add_argument("--search", metavar="TEXT", help="full-text search (answers and your messages)")
    history.add_argument("--reasoning", action="store_true", help="search the reasoning too")
    history.add_argument("--limit", metavar="N", type=int, default=20,
                         help="at most N conversations or search hits (default 20)")
    history.add_argument("--json", action="store_true", help="print JSON instead of a table")
    history.add_argument("--delete", metavar="ID", type=int, help="delete conversation ID")
    history.add_argument("--yes", action="store_true", help="do not ask before deleting")
    history.add_argument("--rename", nargs=2, metavar=("ID", "TITLE"), help="set a conversation's title")


def _export_arguments(export: argparse.ArgumentParser) -> None:
    export.add_argument("conversation", metavar="ID|last", help="a conversation id from `history`, or last")
    export.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="markdown for people (default), json for programs (docs/export-json.md)")
    export.add_argument("-o", "--output", metavar="PATH", help="write here (atomically) instead of stdout")
    export.add_argument("--no-reasoning", action="store_true", help="leave the reasoning out")
    export.add_argument("--all-branches", action="store_true",
                        help="every branch (regenerated answers, edited questions), each labelled; "
                             "by default the branch shown")


def _stats_arguments(stats: argparse.ArgumentParser) -> None:
    stats.add_argument("--since", metavar="DATE", help="only answers since DATE (2026-11-01) or a span back (7d, 12h)")
    stats.add_argument("--json", action="store_true", help="print a JSON array, one object per preset and model")


def _completion_arguments(completion: argparse.ArgumentParser) -> None:
    completion.add_argument("shell", nargs="?", choices=("bash", "zsh", "fish"),
                            help='the shell to complete in: eval "$(reasonchat completion bash)" in ~/.bashrc')
    completion.add_argument("--list", choices=("presets", "roles", "conversations"),
                            help="print the names or ids the script completes (what it calls as you press Tab)")


def _presets_arguments(presets: argparse.ArgumentParser) -> None:
    presets.add_argument("--json", action="store_true", help="print JSON instead of a table")
    presets.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file to read")


def _models_arguments(models: argparse.ArgumentParser) -> None:
    _provider_options(models, argparse.SUPPRESS)
    models.add_argument("--json", action="store_true", help="print a JSON array instead of one id a line")


def _config_arguments(config: argparse.ArgumentParser) -> None:
    config.add_argument("action", choices=("path", "init", "check"),
                        help="path: where it is; init: write a commented starter; check: list every problem")
    config.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file to use")


def _tools_arguments(tools: argparse.ArgumentParser) -> None:
    tools.add_argument("--json", action="store_true", help="print JSON instead of a list")
    tools.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file to read")
    tools.add_argument("--demo", action="store_true", default=argparse.SUPPRESS,
                       help="include the demo's own server (a clock and a calculator), as --demo offers it")


def _demo_server_arguments(demo: argparse.ArgumentParser) -> None:
    demo.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")


_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "ask": ("ask one question; the answer to stdout, the reasoning to stderr", _ask_arguments),
    "history": ("list, search, rename or delete saved conversations", _history_arguments),
    "export": ("export a conversation as Markdown or JSON", _export_arguments),
    "stats": ("tokens, thinking, speed and cost per preset and model", _stats_arguments),
    "presets": ("list provider presets", _presets_arguments),
    "models": ("list the models a provider serves (GET /models)", _models_arguments),
    "config": ("where the config is, write a starter one, or check it", _config_arguments),
    "tools": ("start the configured MCP servers and list their tools (or why one did not start)", _tools_arguments),
    "demo-server": ("run the offline demo server on 127.0.0.1", _demo_server_arguments),
    "completion": ("print a completion script for bash, zsh or fish", _completion_arguments),
}
