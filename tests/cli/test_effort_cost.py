"""Effort, budget and cost through `reasonchat ask`, checked against what the demo server recorded.

The table below is the contract of docs/thinking-and-cost.md written out again by hand: what each preset's
request body says about reasoning for each effort level and thinking switch. The code derives it from the
presets' `effort_map`; this checks the derivation lands where the providers' documents say it must.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer, shared_demo_server

ON = {
    "deepseek": {"thinking": {"type": "enabled"}},
    "siliconflow": {"enable_thinking": True},
    "bailian": {"enable_thinking": True},
    "qianfan": {"thinking": {"type": "enabled"}},
    "volcano": {"thinking": {"type": "enabled"}},
    "vllm": {"chat_template_kwargs": {"enable_thinking": True}},
    "demo": {"thinking": {"type": "enabled"}},
}
OFF = {
    "deepseek": {"thinking": {"type": "disabled"}},
    "siliconflow": {"enable_thinking": False},
    "bailian": {"enable_thinking": False},
    "qianfan": {"thinking": {"type": "disabled"}},
    "volcano": {"thinking": {"type": "disabled"}},
    "vllm": {"chat_template_kwargs": {"enable_thinking": False}},
    "demo": {"thinking": {"type": "disabled"}},
}
BUDGETS = {"low": 1024, "medium": 4096, "high": 16384, "max": 32768}
# (preset, level) -> what the level adds to the body; None: the level is not sent (only the switch is)
EFFORT: dict[str, dict[str, dict[str, Any] | None]] = {
    "deepseek": {"low": {"reasoning_effort": "low"}, "medium": {"reasoning_effort": "high"},
                 "high": {"reasoning_effort": "high"}, "max": {"reasoning_effort": "max"}},
    "volcano": {"low": {"reasoning_effort": "low"}, "medium": {"reasoning_effort": "medium"},
                "high": {"reasoning_effort": "high"}, "max": {"reasoning_effort": "high"}},
    "siliconflow": {level: {"thinking_budget": n} for level, n in BUDGETS.items()},
    "bailian": {level: {"thinking_budget": n} for level, n in BUDGETS.items()},
    "vllm": {level: {"thinking_token_budget": n} for level, n in BUDGETS.items()},
    "qianfan": {level: None for level in BUDGETS},
    "demo": {"low": {"reasoning_effort": "low"}, "medium": {"reasoning_effort": "high"},
             "high": {"reasoning_effort": "high"}, "max": {"reasoning_effort": "max"}},
}
REASONING_KEYS = ("thinking", "enable_thinking", "chat_template_kwargs", "reasoning_effort", "thinking_budget",
                  "thinking_token_budget")
KEYS = {"deepseek": "DEEPSEEK_API_KEY", "siliconflow": "SILICONFLOW_API_KEY", "bailian": "DASHSCOPE_API_KEY",
        "qianfan": "QIANFAN_API_KEY", "volcano": "ARK_API_KEY"}


def expected(preset: str, effort: str | None, thinking: bool | None) -> dict[str, Any]:
    if effort == "off" or thinking is False:
        return OFF[preset]
    if effort is None:
        return ON[preset] if thinking else {}
    return {**ON[preset], **(EFFORT[preset][effort] or {})}


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    for var in KEYS.values():
        monkeypatch.setenv(var, "sk-test")


@pytest.mark.parametrize("preset", list(ON))
def test_request_bodies_for_every_preset_effort_and_switch(preset: str, keys: None, cli: Any,
                                                           server: DemoServer) -> None:
    for effort in (None, "off", "low", "medium", "high", "max"):
        for thinking in (None, True, False):
            before = len(server.chat_bodies())
            args = ["ask", "--preset", preset, "--base-url", server.base_url, "--model", "shape-deepseek",
                    "--json", "--no-save"]
            args += [] if thinking is None else ["--think" if thinking else "--no-think"]
            args += [] if effort is None else ["--effort", effort]
            result = cli(*args, "q")
            assert result.code == 0, result.err
            body = server.chat_bodies()[before]
            sent = {k: v for k, v in body.items() if k in REASONING_KEYS}
            assert sent == expected(preset, effort, thinking), (preset, effort, thinking)
            record = result.json()["sent"]
            assert record["body"] == sent  # ask --json reports exactly what went out
            assert record["effort"] == effort


def test_json_says_which_level_was_sent_and_why_not(keys: None, cli: Any, server: DemoServer) -> None:
    medium = cli("ask", "--preset", "deepseek", "--base-url", server.base_url, "--model", "shape-deepseek",
                 "--json", "--no-save", "--effort", "medium", "q").json()["sent"]
    assert (medium["effort"], medium["effort_sent"]) == ("medium", "high")
    result = cli("ask", "--preset", "qianfan", "--base-url", server.base_url, "--model", "shape-deepseek",
                 "--json", "--no-save", "--effort", "high", "--budget", "500", "q")
    qianfan = result.json()["sent"]
    assert qianfan["effort_sent"] is None and qianfan["budget"] is None
    assert len(qianfan["notes"]) == 2
    assert "takes no reasoning effort" in result.err and "takes no reasoning budget" in result.err


def test_a_budget_goes_out_where_the_provider_takes_one(keys: None, cli: Any, server: DemoServer) -> None:
    cli("ask", "--preset", "bailian", "--base-url", server.base_url, "--model", "shape-deepseek", "--no-save",
        "--budget", "777", "q")
    assert server.chat_bodies()[-1]["thinking_budget"] == 777
    assert server.chat_bodies()[-1]["enable_thinking"] is True  # a budget means nothing without thinking


def test_an_unknown_provider_gets_reasoning_effort_as_is(cli: Any, server: DemoServer) -> None:
    cli("ask", "--base-url", server.base_url, "--model", "shape-deepseek", "--no-save", "--effort", "max", "q")
    assert server.chat_bodies()[-1]["reasoning_effort"] == "max"


def test_a_preset_maps_effort_in_its_own_table(home: Path, cli: Any, server: DemoServer) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[presets.lab]\nbase_url = "{server.base_url}"\nmodel = "shape-deepseek"\n'
        'effort_map = { low = { thinking_budget = 100 }, high = { thinking_budget = 9000 } }\n'
        'budget_key = "thinking_budget"\neffort = "low"\n', encoding="utf-8")
    cli("ask", "--preset", "lab", "--no-save", "q")
    assert server.chat_bodies()[-1]["thinking_budget"] == 100  # the preset's own default level
    record = cli("ask", "--preset", "lab", "--no-save", "--json", "--effort", "medium", "q").json()["sent"]
    assert record["effort_sent"] == "high" and server.chat_bodies()[-1]["thinking_budget"] == 9000


def test_thinking_ignored_is_reported(cli: Any) -> None:
    result = cli("ask", "--demo", "--model", "think-ignores-off", "--no-think", "--json", "hi")
    assert result.json()["think_ignored"] is True
    assert "reasoned anyway" in result.err
    assert cli("ask", "--demo", "--model", "think-ignores-off", "--json", "hi").json()["think_ignored"] is False


def test_a_budget_that_ran_out_says_how_much_and_what_to_try(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--demo", "--model", "think-long", "--max-tokens", "1000", "--effort", "high", "why?")
    assert result.code == 0
    assert "reasoning used 1000 of 1000 tokens before the answer began" in result.err
    assert "--max-tokens 2000" in result.err and "--effort medium" in result.err
    fine = cli("ask", "--demo", "--model", "think-long", "--max-tokens", "9000", "why?")
    assert "reasoning used" not in fine.err


def test_the_demo_costs_nothing_and_says_no_cost(cli: Any) -> None:
    assert cli("ask", "--demo", "--json", "hello").json()["cost"] is None
    assert "¥" not in cli("history").out and "Cost of this conversation" not in cli("export", "last").out


def test_cost_in_json_history_stats_and_export(cli: Any, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[presets.demo]\nprice = { input = 1.0, input_cached = 0.1, output = 4.0, '
                                      'currency = "CNY" }\n', encoding="utf-8")
    record = cli("ask", "--demo", "--json", "hello").json()
    usage = record["usage"]
    # the price given to the demo preset: 1 / 0.1 / 4 per million, reasoning billed as output
    amount = ((usage["prompt_tokens"] - usage["prompt_tokens_details"]["cached_tokens"]) * 1.0
              + usage["prompt_tokens_details"]["cached_tokens"] * 0.1 + usage["completion_tokens"] * 4.0) / 1e6
    assert record["cost"] == {"amount": pytest.approx(amount), "currency": "CNY"}
    cli("ask", "--demo", "-c", "again")
    listing = cli("history", "--json").json()
    total = listing[0]["cost"]["amount"]
    assert total > amount
    assert "¥" in cli("history").out
    stats = cli("stats", "--json").json()
    assert stats[0]["turns"] == 2 and stats[0]["cost"]["amount"] == pytest.approx(total, rel=1e-6)
    assert stats[0]["tokens"]["reasoning"] > 0 and stats[0]["reasoning_to_answer"] > 0
    assert "demo · demo" in cli("stats").out
    assert "Cost of this conversation" in cli("export", "last").out


def test_stats_since(cli: Any) -> None:
    cli("ask", "--demo", "hello")
    assert cli("stats", "--since", "1d", "--json").json()[0]["turns"] == 1
    assert cli("stats", "--since", "2999-01-01", "--json").json() == []
    bad = cli("stats", "--since", "yesterday")
    assert bad.code == 2 and "--since takes a date" in bad.err


def test_roles(home: Path, cli: Any, server: DemoServer) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        '[roles.pirate]\nsystem = "Talk like a pirate."\npreset = "demo"\neffort = "low"\ntemperature = 0.3\n',
        encoding="utf-8")
    record = cli("ask", "--role", "pirate", "--json", "ahoy").json()
    assert record["preset"] == "demo" and record["sent"]["effort"] == "low"
    body = shared_demo_server().chat_bodies()[-1]
    assert body["temperature"] == 0.3 and body["messages"][0] == {"role": "system", "content": "Talk like a pirate."}
    cli("ask", "--demo", "-c", "and then?")  # the conversation keeps its role's temperature
    assert shared_demo_server().chat_bodies()[-1]["temperature"] == 0.3
    listing = cli("history", "--json").json()
    assert listing[0]["preset"] == "demo"
    exported = json.loads(cli("export", "last", "--format", "json").out)
    assert exported["messages"][0] == {**exported["messages"][0], "role": "system", "content": "Talk like a pirate."}
    wrong = cli("ask", "--role", "pirat", "ahoy")
    assert wrong.code == 2 and "did you mean 'pirate'" in wrong.err
