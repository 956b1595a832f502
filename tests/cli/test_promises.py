"""What docs promise about the command line that no other test held: `--system` on a continued conversation
replaces the earlier system prompt (as stored and as sent, and for the turns after it); a cost is kept at the
price of its time, so a later change of the preset's price changes no figure already given (history, stats,
export)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer
from reasonchat.store import TranscriptStore


def test_system_on_a_continued_conversation_replaces_the_earlier_one(cli: Any, home: Path,
                                                                     server: DemoServer) -> None:
    where = ["--base-url", server.base_url, "--model", "shape-deepseek"]
    first = cli("ask", "--json", *where, "--system", "be brief", "q1").json()
    cli("ask", *where, "-c", "--system", "be thorough", "q2")
    cli("ask", *where, "-c", "q3")
    sent = [[m for m in body["messages"] if m["role"] == "system"] for body in server.chat_bodies()]
    assert sent == [[{"role": "system", "content": "be brief"}],
                    [{"role": "system", "content": "be thorough"}],  # replaced, not added beside it
                    [{"role": "system", "content": "be thorough"}]]  # and the replacement goes on
    # Stored as a log: the replacement where it was given, so the conversation reads as it happened (each
    # answer under the prompt it was given with), and the latest one governs what is sent from then on.
    with TranscriptStore(home / "reasonchat.db") as store:
        messages = store.messages(first["conversation_id"])
    stored = [(m.role, m.content if m.role != "assistant" else "…") for m in messages]
    assert stored == [("system", "be brief"), ("user", "q1"), ("assistant", "…"), ("system", "be thorough"),
                      ("user", "q2"), ("assistant", "…"), ("user", "q3"), ("assistant", "…")]
    exported = cli("export", "last", "--format", "json").json()
    assert [m["content"] for m in exported["messages"] if m["role"] == "system"] == ["be brief", "be thorough"]


def priced(home: Path, output: float) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[presets.demo]\nprice = {{ input = 1.0, input_cached = 0.1, output = {output},'
                                      ' currency = "CNY" }\n', encoding="utf-8")


def figures(cli: Any) -> tuple[float, float, str, str]:
    listing = cli("history", "--json").json()
    stats = cli("stats", "--json").json()
    exported = cli("export", "last").out
    costs = [line for line in exported.split("\n") if "¥" in line]
    return listing[0]["cost"]["amount"], stats[0]["cost"]["amount"], "\n".join(costs), cli("history").out


def test_a_cost_stays_at_the_price_of_its_time_after_the_price_changes(cli: Any, home: Path) -> None:
    priced(home, output=4.0)
    record = cli("ask", "--demo", "--json", "hello").json()
    before = figures(cli)
    assert before[0] == pytest.approx(record["cost"]["amount"]) == pytest.approx(before[1])
    assert before[2]  # the export says what it cost

    priced(home, output=400.0)  # the provider's price went up a hundredfold
    assert figures(cli) == before  # what was spent then is what was spent
    cli("ask", "--demo", "-c", "again")  # a new answer is priced at the new price
    after = cli("history", "--json").json()[0]["cost"]["amount"]
    assert after > before[0] * 50
