"""Shell completion, generated from the argparse definition, run in a real bash on a few prefixes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import spawn_env, tool


def complete(script: str, words: list[str], env: dict[str, str]) -> list[str]:
    """What bash offers for the last of `words` (as typed after `reasonchat`)."""
    line = " ".join(["reasonchat", *words])
    program = (f"{script}\nCOMP_WORDS=({' '.join(repr(w) if w else repr('') for w in ['reasonchat', *words])})\n"
               f"COMP_CWORD={len(words)}\nCOMP_LINE={line!r}\n_reasonchat\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    done = subprocess.run([tool("bash"), "--norc", "--noprofile", "-c", program], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    return [w for w in done.stdout.split("\n") if w]


def test_bash_completes_commands_options_choices_presets_and_ids(cli: Any, home: Path) -> None:
    cli("ask", "--demo", "--model", "shape-deepseek", "hello")  # a conversation, id 1
    script = cli("completion", "bash").out
    bin_dir = str(Path(sys.executable).parent)  # where this environment's `reasonchat` script is
    env = spawn_env(home, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    assert complete(script, ["as"], env) == ["ask"]
    assert complete(script, ["ask", "--eff"], env) == ["--effort"]
    assert complete(script, ["ask", "--effort", "m"], env) == ["medium", "max"]
    assert set(complete(script, ["ask", "--preset", "d"], env)) == {"deepseek", "demo"}
    assert complete(script, ["history", "--json", "--li"], env) == ["--limit"]
    assert complete(script, ["export", ""], env) == ["last", "1"]
    assert complete(script, ["--conv"], env) == ["--conversation"]
    assert "--no-color" in complete(script, ["stats", "--"], env)


def test_zsh_and_fish_scripts_are_made_from_the_same_definition(cli: Any) -> None:
    zsh = cli("completion", "zsh").out
    assert zsh.startswith("autoload -U +X bashcompinit") and "complete -F _reasonchat reasonchat" in zsh
    fish = cli("completion", "fish").out
    assert "-a stats" in fish and "-l effort -xa 'off low medium high max'" in fish
    assert "(reasonchat completion --list presets)" in fish


def test_list_prints_what_exists_now(cli: Any) -> None:
    assert "deepseek" in cli("completion", "--list", "presets").out.split()
    assert cli("completion", "--list", "conversations").out == "\n"
    missing = cli("completion")
    assert missing.code == 2 and "name the shell" in missing.err
