"""`reasonchat history` and `reasonchat export` from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer


def ask(cli: Any, server: DemoServer, prompt: str, *extra: str) -> dict[str, Any]:
    result = cli("ask", "--json", "--base-url", server.base_url, "--model", "shape-deepseek", *extra, prompt)
    assert result.code == 0, result.err
    return result.json()  # type: ignore[no-any-return]


def test_history_lists_newest_first(cli: Any, server: DemoServer) -> None:
    ask(cli, server, "first topic: gardening")
    ask(cli, server, "second topic: 数据库索引")
    rows = cli("history", "--json").json()
    assert [r["title"] for r in rows] == ["second topic: 数据库索引", "first topic: gardening"]
    assert rows[0]["messages"] == 2
    assert rows[0]["preset"] == "ad-hoc"
    assert rows[0]["model"] == "shape-deepseek"
    text = cli("history", "--limit", "1").out
    assert "数据库索引" in text
    assert "gardening" not in text


def test_search_latin_chinese_and_reasoning(cli: Any, server: DemoServer) -> None:
    ask(cli, server, "tell me about gardening")
    ask(cli, server, "解释一下数据库索引")
    assert [h["title"] for h in cli("history", "--search", "gardening", "--json").json()] == [
        "tell me about gardening"] * 2  # the question and the answer that quotes it
    assert {h["role"] for h in cli("history", "--search", "数据库", "--json").json()} == {"user", "assistant"}
    assert cli("history", "--search", "restate the question", "--json").json() == []
    hits = cli("history", "--search", "restate the question", "--reasoning", "--json").json()
    assert len(hits) == 2
    assert "[restate the question]" in hits[0]["snippet"]
    assert "no messages match" in cli("history", "--search", "zebra").err


def test_rename_and_delete(cli: Any, server: DemoServer) -> None:
    first = ask(cli, server, "keep me")["conversation_id"]
    second = ask(cli, server, "delete me")["conversation_id"]
    assert cli("history", "--rename", str(first), "My title").code == 0
    assert cli("history", "--json").json()[-1]["title"] == "My title"
    refused = cli("history", "--delete", str(second))
    assert refused.code == 2
    assert "--yes" in refused.err
    assert cli("history", "--delete", str(second), "--yes").code == 0
    assert [r["id"] for r in cli("history", "--json").json()] == [first]
    assert cli("history", "--delete", "99", "--yes").code == 2


def test_export_formats(cli: Any, server: DemoServer, tmp_path: Path) -> None:
    record = ask(cli, server, "export this please")
    ask(cli, server, "and a follow-up", "-c")
    markdown = cli("export", "last").out
    assert markdown.startswith("# export this please\n")
    assert markdown.count("## You") == 2
    assert "<details><summary>Thought for" in markdown
    assert "```python" in markdown
    assert cli("export", "last", "--no-reasoning").out.count("<details>") == 0
    target = tmp_path / "out.json"
    result = cli("export", str(record["conversation_id"]), "--format", "json", "-o", str(target))
    assert result.code == 0
    assert str(target) in result.err
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert len(document["messages"]) == 4
    assert document["messages"][1]["reasoning"] == record["reasoning"]
    assert cli("export", "last").out == markdown  # deterministic
    assert cli("export", "nope").code == 2


def test_config_commands(cli: Any, home: Path) -> None:
    assert cli("config", "path").out.strip() == str(home / "config.toml")
    assert cli("config", "init").code == 0
    assert (home / "config.toml").read_text(encoding="utf-8").startswith("# reasonchat configuration")
    again = cli("config", "init")
    assert again.code == 2
    assert "exists already" in again.err
    check = cli("config", "check")
    assert check.code == 0
    assert "config ok" in check.out
    assert "mylab" not in check.out  # the written examples are commented out: no one gets a gpu-box preset
    assert "mylab" not in cli("presets").out
    (home / "config.toml").write_text("[ui]\nreasoning = 'sometimes'\n", encoding="utf-8")
    bad = cli("config", "check")
    assert bad.code == 2
    assert ":2:" in bad.err
    assert "ui.reasoning must be one of" in bad.err


def test_config_check_reports_every_problem(cli: Any, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        "[ui]\nreasoning = 'sometimes'\nexport_dri = '.'\n[presets.x]\nmodel = 'm'\n[presets.deepseek]\ntimeout = -1\n",
        encoding="utf-8")
    check = cli("config", "check")
    assert check.code == 2
    lines = check.err.strip().splitlines()
    assert len(lines) == 5, check.err
    assert ":2:" in lines[0]
    assert "ui.reasoning must be one of" in lines[0]
    assert ":3:" in lines[1]
    assert "did you mean 'export_dir'" in lines[1]
    assert ":4:" in lines[2]
    assert "needs base_url" in lines[2]
    assert ":7:" in lines[3]
    assert "timeout must be greater than 0" in lines[3]
    assert lines[4] == f"reasonchat: 4 problems in {home / 'config.toml'}"
    other = cli("presets")  # any other command: one line, the first problem, and where to see the rest
    assert other.code == 2
    assert other.err.count("\n") == 1
    assert "(and 3 more: `reasonchat config check` lists them)" in other.err


@pytest.mark.parametrize("command", [["config", "check"], ["presets"], ["ask", "--demo", "hi"], ["models"],
                                     []])
def test_a_config_path_given_must_exist(cli: Any, home: Path, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nowhere" / "config.toml"
    result = cli(*command, "--config", str(missing)) if command else cli("--config", str(missing))
    assert result.code == 2
    assert result.err.startswith(f"reasonchat: no config file at {missing}")
    assert result.err.count("\n") == 1
