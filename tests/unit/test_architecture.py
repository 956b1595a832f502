"""Rules DESIGN.md sets on the code's shape, checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys


def modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                          capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_domain_code_never_imports_textual() -> None:
    loaded = modules_after(
        "import reasonchat.core.client, reasonchat.core.decoder, reasonchat.core.reply, reasonchat.core.conversation,"
        " reasonchat.store, reasonchat.store.writer, reasonchat.export, reasonchat.ask, reasonchat.config,"
        " reasonchat.providers, reasonchat.demo_server, reasonchat.cli, reasonchat.cli_store, reasonchat.cli_config"
    )
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}


def test_importing_the_package_and_cli_is_light() -> None:
    loaded = modules_after("import reasonchat, reasonchat.cli")
    assert not {"openai", "textual", "sqlite3", "argparse"} & loaded  # `--version` stays instant
