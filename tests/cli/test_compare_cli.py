"""`ask --compare`: concurrent, answers in the order given, --json an array, stored as one linked compare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reasonchat.demo.server import DemoServer
from reasonchat.store import TranscriptStore


def config(home: Path, server: DemoServer) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[presets.one]\nbase_url = "{server.base_url}"\nmodel = "bench-300@300"\n'
        f'[presets.two]\nbase_url = "{server.base_url}"\nmodel = "bench-300@300"\n'
        f'[presets.broken]\nbase_url = "{server.base_url}"\nmodel = "fault-midstream"\n', encoding="utf-8")


def test_compare_prints_each_answer_under_its_name_in_order(cli: Any, home: Path, server: DemoServer) -> None:
    config(home, server)
    result = cli("ask", "--compare", "two,one:shape-deepseek,one", "a question")
    assert result.code == 0, result.err
    heads = [line for line in result.out.split("\n") if line.startswith("── ")]
    assert heads == ["── two · bench-300@300 ──", "── one · shape-deepseek ──", "── one · bench-300@300 ──"]
    paced = [r for r in server.requests if r.path.endswith("/chat/completions") and r.body["model"] == "bench-300@300"]
    assert len(paced) == 2 and all(r.answered is not None for r in paced)
    # Concurrent: both one-second streams had come before either had ended (one after the other, the second
    # would come after the first ended). Shown from the server's log, never from a stopwatch.
    assert max(r.came for r in paced) < min(r.answered or 0.0 for r in paced)
    with TranscriptStore(home / "reasonchat.db") as store:
        listed = store.list_conversations()
        assert len(listed) == 1
        assert [(m.preset, m.model) for m in store.compare_members(listed[0].id)] == [
            ("two", "bench-300@300"), ("one", "shape-deepseek"), ("one", "bench-300@300")]
    assert "⇉" in cli("history").out


def test_compare_json_is_an_array_and_a_failing_column_ends_alone(cli: Any, home: Path,
                                                                  server: DemoServer) -> None:
    config(home, server)
    result = cli("ask", "--compare", "one:shape-deepseek,broken", "--json", "q")
    assert result.code == 1
    records = result.json()
    assert [r["model"] for r in records] == ["shape-deepseek", "fault-midstream"]
    assert records[0]["finish_reason"] == "stop" and records[0]["content"]
    assert records[1]["interrupted"] and "upstream model crashed" in records[1]["error"]


def test_compare_usage_errors(cli: Any, home: Path, server: DemoServer) -> None:
    config(home, server)
    one = cli("ask", "--compare", "one", "q")
    assert one.code == 2 and "2 or 3 presets" in one.err
    four = cli("ask", "--compare", "one,two,one,two", "q")
    assert four.code == 2
    unknown = cli("ask", "--compare", "one,tow", "q")
    assert unknown.code == 2 and "did you mean 'two'" in unknown.err
    continued = cli("ask", "--compare", "one,two", "-c", "q")
    assert continued.code == 2 and "does not go with -c" in continued.err
