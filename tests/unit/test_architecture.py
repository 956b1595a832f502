"""Rules DESIGN.md sets on the code's shape: import contracts (import-linter), no import circles, and what the
quick commands load (nothing heavy: they run at every Tab of a completion)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta, Usage
from reasonchat.core.reply import Reply
from reasonchat.store.transcripts import TranscriptStore

ROOT = Path(__file__).resolve().parents[2]
# What no quick command may load: the SDK and its HTTP stack, the TUI, and the Markdown renderers and parser.
HEAVY = ("openai", "httpx", "httpx2", "textual", "rich.markdown", "markdown_it", "pygments", "mcp", "jsonschema",
         "pypdf")


def loaded_by(code: str, env: dict[str, str] | None = None) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_the_import_contracts_hold() -> None:
    """The contracts in pyproject.toml ([tool.importlinter]): domain code never imports Textual or the TUI,
    directly or through anything it imports."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_no_module_imports_itself_through_others() -> None:
    """A circle says that two files are one idea or that a piece sits in the wrong one. Imports made only for
    type checking count too: they are a dependency all the same."""
    graph = grimp.build_graph("reasonchat", cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert circles == []


def test_importing_the_command_line_loads_nothing_heavy() -> None:
    assert not set(HEAVY) & loaded_by("import reasonchat, reasonchat.cli.main")


@pytest.mark.parametrize("command", ["--help", "presets", "history --limit 20", "completion --list presets",
                                     "completion --list conversations", "export last"])
def test_the_quick_commands_load_nothing_heavy(command: str, tmp_path: Path) -> None:
    """The real commands on a store the real code wrote: `export` parses Markdown and may load markdown-it,
    and nothing else heavy; the others load none of it."""
    (tmp_path / "config.toml").write_text('[presets.lab]\nbase_url = "http://127.0.0.1:1/v1"\n', encoding="utf-8")
    with TranscriptStore(tmp_path / "reasonchat.db") as store:
        conversation = store.create_conversation("lab", "m", "Vec<T> and `Box<T>`")
        store.add_message(conversation, "user", "# Compare\n\n`a < b` and <b>this</b>")
        reply = Reply(model="m")
        for event in (ReasoningDelta("Think: 1 < 2.\n\n## Step\n"), AnswerDelta("```html\n<p>x</p>\n```\n"),
                      Usage.from_raw({"prompt_tokens": 3, "completion_tokens": 9}), Finished("stop")):
            reply.apply(event)
        store.save_reply(conversation, reply)
    code = ("import contextlib, io, sys\n"
            f"sys.argv = ['reasonchat', *{command.split()!r}]\n"
            "from reasonchat.cli.main import main\n"
            "out = io.TextIOWrapper(io.BytesIO(), encoding='utf-8')\n"
            "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
            "    main()\n"
            "out.flush()\n"
            "assert out.buffer.getvalue(), 'the command printed nothing'\n")
    loaded = loaded_by(code, {**os.environ, "REASONCHAT_HOME": str(tmp_path)})
    allowed = {"markdown_it"} if command.startswith("export") else set()
    assert {module for module in HEAVY if module in loaded} <= allowed
