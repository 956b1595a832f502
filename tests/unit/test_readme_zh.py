"""README.zh.md gives the same set-up commands and the same keys as README.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_commands(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n")[:8] if line.startswith("    ")]


def test_the_chinese_readme_has_the_same_two_commands_first() -> None:
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    chinese = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    assert setup_commands(chinese) == setup_commands(english)
    assert len(setup_commands(english)) == 2
    assert "README.zh.md" in english.split("\n## ")[0]  # linked from the top


def test_the_chinese_key_table_has_every_key_of_f1() -> None:
    from reasonchat.keys import ACTIONS

    chinese = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in chinese.split("\n") if line.startswith("| "))
    for name, (key, _) in ACTIONS.items():
        assert re.search(rf"\b{re.escape(key)}\b", table, re.IGNORECASE), (name, key)


def test_every_provider_key_variable_is_explained() -> None:
    from reasonchat.presets import BUILTIN

    chinese = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    for name, preset in BUILTIN.items():
        assert f"| {name} |" in chinese
        if preset.get("api_key_env") and name != "vllm":
            assert f"`{preset['api_key_env']}`" in chinese
