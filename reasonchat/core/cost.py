"""What an answer cost, from the provider's usage and the preset's price table.

Reasoning tokens are output tokens (every provider bills them so); prompt tokens the provider reports as
cache hits (`prompt_tokens_details.cached_tokens`, DeepSeek's `prompt_cache_hit_tokens`) are billed at
`input_cached` where the table has it. Without usage, or without a price for the model, the cost is
unknown (None) — never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PRICE_KEYS = ("input", "input_cached", "output", "output_thinking", "currency", "per", "models", "as_of", "source")


@dataclass(frozen=True)
class Price:
    input: float
    output: float
    input_cached: float | None = None
    output_thinking: float | None = None  # the output price when the model thought (Qwen3 hosts charge more)
    currency: str = "CNY"
    per: int = 1_000_000  # tokens the prices are for

    def cost(self, prompt: int, cached: int, completion: int, thought: bool = False) -> float:
        cached = min(max(cached, 0), prompt)
        cached_rate = self.input if self.input_cached is None else self.input_cached
        output = self.output_thinking if thought and self.output_thinking is not None else self.output
        return ((prompt - cached) * self.input + cached * cached_rate + completion * output) / self.per


@dataclass(frozen=True)
class Cost:
    amount: float
    currency: str

    def __str__(self) -> str:
        return format_amount(self.amount, self.currency)

    def record(self) -> dict[str, Any]:
        return {"amount": round(self.amount, 8), "currency": self.currency}


def format_amount(amount: float, currency: str) -> str:
    """"¥0.0123", "$0.41", "0.5 EUR": enough digits to tell a cheap answer from a free one."""
    symbol = {"CNY": "¥", "USD": "$"}.get(currency)
    digits = 4 if amount < 1 else 2
    number = f"{amount:.{digits}f}"
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


def price_for(table: Mapping[str, Any] | None, model: str) -> Price | None:
    """The price of `model` from a preset's `price` table: a `models` entry for the model (or for the part
    after the last `/`, as hosts prefix names) wins over the table's own figures; None when it has none."""
    if not table:
        return None
    models = table.get("models")
    entry: Mapping[str, Any] = table
    if isinstance(models, Mapping):
        for name in (model, model.rsplit("/", 1)[-1]):
            if isinstance(models.get(name), Mapping):
                entry = {**table, **models[name]}
                break
    if not isinstance(entry.get("input"), int | float) or not isinstance(entry.get("output"), int | float):
        return None
    def number(key: str) -> float | None:
        value = entry.get(key)
        return float(value) if isinstance(value, int | float) else None

    return Price(input=float(entry["input"]), output=float(entry["output"]), input_cached=number("input_cached"),
                 output_thinking=number("output_thinking"), currency=str(entry.get("currency", "CNY")),
                 per=int(entry.get("per", 1_000_000)))


def cost_of(price: Price | None, prompt: int | None, cached: int | None, completion: int | None,
            thought: bool = False) -> Cost | None:
    """The cost of one answer, or None when the price or the usage is not known."""
    if price is None or prompt is None or completion is None:
        return None
    return Cost(price.cost(prompt, cached or 0, completion, thought), price.currency)


def check_price(table: Mapping[str, Any]) -> str | None:
    """A problem with a `price` table, or None."""
    for key, value in table.items():
        if key not in PRICE_KEYS:
            return f"has unknown key '{key}' (known: {', '.join(PRICE_KEYS)})"
        rate = key in ("input", "input_cached", "output", "output_thinking")
        if rate and (not isinstance(value, int | float) or isinstance(value, bool) or value < 0):
            return f"{key} must be a number of 0 or more"
        if key == "per" and (not isinstance(value, int) or value <= 0):
            return "per must be a whole number of tokens, like 1_000_000"
        if key == "models" and not (isinstance(value, Mapping) and all(isinstance(v, Mapping) for v in value.values())):
            return "models must be a table of tables, one per model"
    return None
