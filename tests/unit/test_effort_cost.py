"""The effort plan and the price arithmetic, and what the config accepts for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonchat import config
from reasonchat.core.cost import Price, cost_of, format_amount, price_for
from reasonchat.core.effort import budget_exhausted, lower, nearest, plan, thinking_ignored
from reasonchat.errors import ConfigError

LEVELS = {"low": {}, "high": {}, "max": {}}


@pytest.mark.parametrize(("asked", "sent"), [("low", "low"), ("medium", "high"), ("high", "high"), ("max", "max")])
def test_nearest_level_ties_go_up(asked: str, sent: str) -> None:
    assert nearest(asked, LEVELS) == sent


def test_nearest_of_nothing_or_off() -> None:
    assert nearest("high", {}) is None
    assert nearest("off", LEVELS) is None
    assert nearest("max", {"low": {}, "medium": {}}) == "medium"


def test_plan_labels_what_was_sent() -> None:
    deepseek = config.load(Path("/nonexistent/none.toml")).preset("deepseek")
    args = {"think_on": deepseek.think_on, "think_off": deepseek.think_off, "effort_map": deepseek.effort_map,
            "budget_key": deepseek.budget_key}
    assert plan(thinking=True, effort="medium", budget=None, **args).label() == "thinking on · effort medium→high"
    assert plan(thinking=False, effort="max", budget=None, **args).label() == "thinking off · effort max (not sent)"
    assert plan(thinking=None, effort=None, budget=None, **args).body == {}
    no_budget = plan(thinking=True, effort=None, budget=500, **args)
    assert no_budget.budget is None and "no reasoning budget" in no_budget.notes[0]
    off = plan(thinking=True, effort="off", budget=500, **args)
    assert off.thinking is False and off.body == {"thinking": {"type": "disabled"}}


def test_thinking_ignored_and_budget_exhausted() -> None:
    on = plan(thinking=True, effort=None, budget=None, think_on={}, think_off={}, effort_map=None, budget_key="")
    off = plan(thinking=False, effort=None, budget=None, think_on={}, think_off={}, effort_map=None, budget_key="")
    assert thinking_ignored(off, "I thought") and not thinking_ignored(on, "I thought")
    assert not thinking_ignored(off, "  ")
    assert budget_exhausted("length", "x" * 4000, "", 1000, 1000) == \
        "reasoning used 1000 of 1000 tokens before the answer began"
    assert "almost no room" in str(budget_exhausted("length", "x" * 4000, "Sure", None, 2000))
    assert budget_exhausted("length", "x" * 400, "a long answer " * 40, 100, 2000) is None  # an answer ran long
    assert budget_exhausted("stop", "x" * 4000, "", 1000, 1000) is None
    assert (lower("max"), lower("low"), lower(None)) == ("high", "low", "medium")


def test_cost_arithmetic() -> None:
    price = Price(input=2.0, output=8.0, input_cached=0.5)
    assert price.cost(1000, 400, 500) == pytest.approx((600 * 2 + 400 * 0.5 + 500 * 8) / 1e6)
    assert price.cost(10, 50, 0) == pytest.approx(10 * 0.5 / 1e6)  # cache hits never exceed the prompt
    thinking = Price(input=0.8, output=2.0, output_thinking=8.0)
    assert thinking.cost(0, 0, 1000, thought=True) == pytest.approx(8.0 / 1000)
    assert cost_of(price, None, None, 10) is None and cost_of(None, 1, 0, 1) is None
    assert (format_amount(0.01234, "CNY"), format_amount(12.5, "USD"), format_amount(0.5, "EUR")) == \
        ("¥0.0123", "$12.50", "0.5000 EUR")


def test_price_tables_by_model() -> None:
    table = {"input": 2, "output": 8, "models": {"deepseek-v4-pro": {"input": 9, "output": 27},
                                                  "Qwen3-32B": {"input": 1, "output": 4}}}
    assert price_for(table, "deepseek-v4-flash") == Price(input=2.0, output=8.0)
    assert price_for(table, "deepseek-v4-pro") == Price(input=9.0, output=27.0)
    assert price_for(table, "Qwen/Qwen3-32B") == Price(input=1.0, output=4.0)  # a host's prefix
    assert price_for({"models": {"a": {"input": 1, "output": 2}}}, "b") is None
    assert price_for(None, "a") is None


def test_builtin_presets_price_their_default_models() -> None:
    presets = config.load(Path("/nonexistent/none.toml")).presets
    for name in ("deepseek", "siliconflow", "bailian", "qianfan", "volcano"):
        preset = presets[name]
        assert price_for(preset.price, preset.model) is not None, name
        assert preset.price and preset.price.get("as_of"), name  # the date it was read


@pytest.mark.parametrize(("table", "problem"), [
    ('effort = "extreme"', "effort must be one of off, low, medium, high, max"),
    ("budget = 0", "budget must be greater than 0"),
    ('effort_map = { hgh = { reasoning_effort = "high" } }', "did you mean 'high'"),
    ("effort_map = { high = 3 }", "effort_map.high must be a table"),
    ("price = { input = -1, output = 2 }", "input must be a number of 0 or more"),
    ("price = { inptu = 1, output = 2 }", "unknown key 'inptu'"),
])
def test_config_problems(tmp_path: Path, table: str, problem: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(f"[presets.deepseek]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        config.load(path)


@pytest.mark.parametrize(("table", "problem"), [
    ('[roles.x]\npreset = "demo"', "needs system"),
    ('[roles.x]\nsystem = "s"\npreset = "deepsek"', "did you mean 'deepseek'"),
    ('[roles.x]\nsystem = "s"\ntemprature = 1', "unknown key 'temprature'"),
])
def test_role_problems(tmp_path: Path, table: str, problem: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(table + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        config.load(path)


def test_a_user_price_merges_over_the_builtin_one(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[presets.deepseek]\nprice = { output = 9.5 }\n', encoding="utf-8")
    price = price_for(config.load(path).preset("deepseek").price, "deepseek-v4-flash")
    assert price is not None and (price.input, price.output) == (2.0, 9.5)
