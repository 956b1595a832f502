"""A store written by an earlier reasonchat opens, exports the same and goes on.

`tests/fixtures/store_v7/reasonchat.db` was written by commit 6cc6405 (schema 7: stored outlines, branches,
a compare, a role, a system prompt, HTML in titles and answers, CJK text, every status) with the script beside
it, and `golden/` holds what that commit exported. Today's code must export every conversation of it to the
same bytes, search it, and continue it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer
from reasonchat.store.migrations import LATEST

FIXTURE = Path(__file__).parent.parent / "fixtures" / "store_v7"
GOLDEN = FIXTURE / "golden"
CONVERSATIONS = sorted({int(p.name.split(".")[0]) for p in GOLDEN.glob("*.json") if p.name[0].isdigit()})
VARIANTS = {"md": (), "all.md": ("--all-branches",), "noreasoning.md": ("--no-reasoning",),
            "json": ("--format", "json")}


@pytest.fixture
def old_home(home: Path) -> Path:
    home.mkdir(parents=True)
    shutil.copy(FIXTURE / "reasonchat.db", home / "reasonchat.db")
    shutil.copy(FIXTURE / "config.toml", home / "config.toml")
    return home


def test_the_fixture_is_a_schema_7_store() -> None:
    with sqlite3.connect(f"file:{FIXTURE / 'reasonchat.db'}?immutable=1", uri=True) as db:  # leaves no -wal, -shm
        assert db.execute("SELECT max(version) FROM schema_migrations").fetchone() == (7,)
    assert len(CONVERSATIONS) == 9


@pytest.mark.parametrize("conversation", CONVERSATIONS)
def test_every_conversation_exports_as_it_did(cli: Any, old_home: Path, conversation: int) -> None:
    for suffix, flags in VARIANTS.items():
        result = cli("export", str(conversation), *flags)
        assert result.code == 0, result.err
        assert result.out == (GOLDEN / f"{conversation}.{suffix}").read_text(encoding="utf-8"), suffix


def test_search_finds_what_it_found(cli: Any, old_home: Path) -> None:
    """The same hits; each listed as history lists a conversation now (the messages its branch shows, and all)."""
    hit = ("id", "title", "preset", "model", "message_id", "role", "snippet", "created_at", "updated_at")
    for query, name in (("索引", "search-cjk.json"), ("mutex", "search-mutex.json")):
        expected = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
        found = cli("history", "--search", query, "--json").json()
        assert [{k: h[k] for k in hit} for h in found] == [{k: h[k] for k in hit} for h in expected]
        for h, e in zip(found, expected, strict=True):
            if h["compare"]:  # a compare's column: listed as the whole compare, as history lists it
                assert h["all_messages"] >= e["messages"] and h["cost"]["amount"] >= e["cost"]["amount"]
            else:
                assert (h["all_messages"], h["cost"]) == (e["messages"], e["cost"])
                assert h["messages"] <= h["all_messages"]


def test_it_continues_and_exports_the_new_turn(cli: Any, old_home: Path, server: DemoServer) -> None:
    before = cli("export", "1", "--format", "json").json()
    result = cli("ask", "--json", "--base-url", server.base_url, "--model", "shape-deepseek", "--conversation", "1",
                 "And a follow-up?")
    assert result.code == 0, result.err
    after = cli("export", "1", "--format", "json").json()
    assert after["messages"][: len(before["messages"])] == before["messages"]
    assert after["messages"][len(before["messages"])]["content"] == "And a follow-up?"
    assert after["messages"][-1]["role"] == "assistant" and after["messages"][-1]["status"] == "complete"
    body = (GOLDEN / "1.md").read_text(encoding="utf-8").split("\n## You\n", 1)[1].split("\n---\n")[0]
    assert body.rstrip("\n") in cli("export", "1").out  # the header names the model now used; the turns stay


def test_a_tool_turn_goes_on_an_old_conversation_and_stays(cli: Any, old_home: Path, server: DemoServer) -> None:
    """Migration 9 (tool rounds) on a schema-7 store: the old answers have none, a new tool turn keeps its calls,
    goes back to the provider with its reasoning (the demo server refuses it otherwise), and exports."""
    import sys

    with (old_home / "config.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[presets.ds]\nbase_url = "{server.base_url}"\nmodel = "demo@0"\ntool_reasoning = true\n'
                     f'[mcp.demo]\ncommand = "{sys.executable}"\nargs = ["-m", "reasonchat.demo.mcp_server"]\n')
    before = cli("export", "1", "--format", "json").json()
    assert all("tool_rounds" not in m for m in before["messages"])
    for question in ("What is 6*7?", "And 2**10?"):
        result = cli("ask", "--json", "--yes", "--preset", "ds", "--conversation", "1", question)
        assert result.code == 0, result.err
    after = cli("export", "1", "--format", "json").json()
    assert after["messages"][: len(before["messages"])] == before["messages"]
    rounds = [m["tool_rounds"] for m in after["messages"] if "tool_rounds" in m]
    assert [r[0]["calls"][0]["result"] for r in rounds] == ["42", "1024"]
    assert rounds[0][0]["messages"][0]["tool_calls"][0]["function"]["name"] == "calculate"
    assert "<details><summary>⚙ demo · calculate" in cli("export", "1").out
    with sqlite3.connect(old_home / "reasonchat.db") as db:
        assert db.execute("SELECT max(version) FROM schema_migrations").fetchone() == (LATEST,)
        assert db.execute("SELECT count(*) FROM messages WHERE rounds_json IS NOT NULL").fetchone() == (2,)
        assert "messages_with_tools" in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
