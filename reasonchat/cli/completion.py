"""`reasonchat completion bash|zsh|fish`: a completion script made from the one argparse definition, so a
new option completes the day it is added. Sub-commands, options and fixed choices are written into the
script; preset names, roles and conversation ids change, so the script asks `reasonchat completion --list
presets|roles|conversations` for them as you press Tab (fast: no Textual, no SDK).

    eval "$(reasonchat completion bash)"          # ~/.bashrc
    eval "$(reasonchat completion zsh)"           # ~/.zshrc (through zsh's bashcompinit)
    reasonchat completion fish | source           # ~/.config/fish/config.fish
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field

# options whose value is completed from what exists now
DYNAMIC = {"--preset": "presets", "--role": "roles", "--conversation": "conversations", "--delete": "conversations"}


@dataclass
class Command:
    name: str
    help: str
    options: list[str] = field(default_factory=list)
    values: dict[str, list[str] | str] = field(default_factory=dict)  # option -> choices, or a DYNAMIC list


def describe(parser: argparse.ArgumentParser) -> list[Command]:
    """The top level (name "") and each sub-command: its options and what their values can be."""
    commands = [_command("", "", parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                commands.append(_command(name, helps.get(name, ""), sub))
    return commands


def _command(name: str, summary: str, parser: argparse.ArgumentParser) -> Command:
    command = Command(name, summary)
    for action in parser._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        command.options += [o for o in action.option_strings if o.startswith("--")] or action.option_strings
        for option in action.option_strings:
            if action.choices:
                command.values[option] = [str(c) for c in action.choices]
            elif option in DYNAMIC:
                command.values[option] = DYNAMIC[option]
    return command


def bash(commands: list[Command]) -> str:
    top, subs = commands[0], commands[1:]
    names = " ".join(c.name for c in subs)
    lines = [
        "# reasonchat completion for bash (and zsh through bashcompinit): made by `reasonchat completion`",
        "_reasonchat_list() { command reasonchat completion --list \"$1\" 2>/dev/null; }",
        "_reasonchat() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" word',
        '    for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do',
        f"        case \"$word\" in {'|'.join(c.name for c in subs)}) cmd=\"$word\"; break;; esac",
        "    done",
        '    local options="" values=""',
        '    case "$cmd" in',
    ]
    for command in [top, *subs]:
        label = command.name or '""'
        lines.append(f"        {label})")
        lines.append(f"            options={shlex.quote(' '.join(command.options))}")
        if command.values:
            lines.append('            case "$prev" in')
            for option, values in command.values.items():
                source = f"$(_reasonchat_list {values})" if isinstance(values, str) else " ".join(values)
                lines.append(f"                {option}) values=\"{source}\";;")
            lines.append("            esac")
        lines.append("            ;;")
    lines += [
        "    esac",
        '    if [[ -n "$values" ]]; then',
        '        COMPREPLY=( $(compgen -W "$values" -- "$cur") ); return',
        "    fi",
        '    if [[ "$cur" == -* ]]; then',
        '        COMPREPLY=( $(compgen -W "$options" -- "$cur") )',
        '    elif [[ -z "$cmd" ]]; then',
        f'        COMPREPLY=( $(compgen -W "{names}" -- "$cur") )',
        '    elif [[ "$cmd" == export ]]; then',
        '        COMPREPLY=( $(compgen -W "last $(_reasonchat_list conversations)" -- "$cur") )',
        "    fi",
        "}",
        "complete -F _reasonchat reasonchat",
    ]
    return "\n".join(lines) + "\n"


def zsh(commands: list[Command]) -> str:
    return "autoload -U +X bashcompinit && bashcompinit\n" + bash(commands)


def fish(commands: list[Command]) -> str:
    top, subs = commands[0], commands[1:]
    names = " ".join(c.name for c in subs)
    lines = ["# reasonchat completion for fish: made by `reasonchat completion fish`", "complete -c reasonchat -f"]
    for command in subs:
        lines.append(f"complete -c reasonchat -n 'not __fish_seen_subcommand_from {names}' -a {command.name} "
                     f"-d {shlex.quote(command.help)}")
    for command in [top, *subs]:
        when = f"__fish_seen_subcommand_from {command.name}" if command.name else \
            f"not __fish_seen_subcommand_from {names}"
        for option in command.options:
            flag = f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}"
            values = command.values.get(option)
            takes = ""
            if isinstance(values, str):
                takes = f" -xa '(reasonchat completion --list {values})'"
            elif values:
                takes = f" -xa {shlex.quote(' '.join(values))}"
            lines.append(f"complete -c reasonchat -n '{when}' {flag}{takes}")
    lines.append("complete -c reasonchat -n '__fish_seen_subcommand_from export' "
                 "-xa 'last (reasonchat completion --list conversations)'")
    return "\n".join(lines) + "\n"


def values(kind: str) -> list[str]:
    """What `--list KIND` prints: preset names, role names, or the ids of the latest conversations."""
    if kind in ("presets", "roles"):
        from reasonchat import config

        cfg = config.load()
        return list(cfg.presets if kind == "presets" else cfg.roles)
    from reasonchat.store.transcripts import TranscriptStore

    with TranscriptStore() as store:
        return [str(c.id) for c in store.list_conversations(limit=50)]
