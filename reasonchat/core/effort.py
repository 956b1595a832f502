"""How much the model thinks: one control (`off | low | medium | high | max`, and a token budget) turned into
what each provider's request body actually takes.

Providers disagree on the knob: DeepSeek takes `reasoning_effort` low/high/max, Volcano Ark low/medium/high,
Qwen3-class hosts (Bailian, SiliconFlow) a numeric `thinking_budget`, vLLM a `thinking_token_budget`, Qianfan
nothing at all. A preset says which fragment each level sends (`effort_map`) and what its budget field is
called (`budget_key`); a level the preset does not map goes out as the nearest one it does, and the plan says
so — the user sees what was *sent*, not what was asked for. The facts behind the built-in maps, with their
sources and dates: docs/thinking-and-cost.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reasonchat.core.merge import deep_merge

LEVELS = ("off", "low", "medium", "high", "max")
CYCLE = (None, "low", "medium", "high", "max")  # what the TUI's effort key steps through; None: the default


@dataclass(frozen=True)
class ReasoningPlan:
    """What one request sends about reasoning, and why."""

    thinking: bool | None  # the switch as sent: True on, False off, None the provider's default
    effort: str | None  # the level asked for (None: the preset's default, or none)
    applied: str | None  # the level whose fragment was sent (the nearest the preset maps), None if none was
    budget: int | None  # the reasoning budget sent (None: none was)
    body: dict[str, Any]  # the request fragment: thinking switch, effort, budget
    notes: tuple[str, ...] = ()  # what was asked for but could not be sent, one line each

    def label(self) -> str:
        """"thinking on · effort high", "thinking off", "effort medium→high · budget 4096" for headers and notes."""
        parts = ["thinking off" if self.thinking is False else "thinking on" if self.thinking else "thinking default"]
        if self.effort and self.effort != "off":
            shown = self.effort if self.applied in (None, self.effort) else f"{self.effort}→{self.applied}"
            parts.append(f"effort {shown}" if self.applied else f"effort {self.effort} (not sent)")
        if self.budget is not None:
            parts.append(f"budget {self.budget}")
        return " · ".join(parts)

    def record(self) -> dict[str, Any]:
        """The plan for `ask --json`: what was asked for and what went out."""
        return {"thinking": self.thinking, "effort": self.effort, "effort_sent": self.applied,
                "budget": self.budget, "body": self.body, "notes": list(self.notes)}


def check_level(value: str) -> str | None:
    """A problem with `value` as an effort level, or None when it is one."""
    return None if value in LEVELS else f"effort must be one of {', '.join(LEVELS)}, not '{value}'"


def nearest(level: str, mapped: Mapping[str, Any]) -> str | None:
    """The level of `mapped` closest to `level` (a tie goes to the higher one, as DeepSeek maps medium to
    high); None when nothing but `off` is mapped."""
    order = LEVELS[1:]
    known = [name for name in order if name in mapped]
    if not known or level not in order:
        return None
    want = order.index(level)
    return min(known, key=lambda name: (abs(order.index(name) - want), -order.index(name)))


def plan(
    *,
    thinking: bool | None,
    effort: str | None,
    budget: int | None,
    think_on: Mapping[str, Any],
    think_off: Mapping[str, Any],
    effort_map: Mapping[str, Mapping[str, Any]] | None,
    budget_key: str,
) -> ReasoningPlan:
    """The reasoning part of a request body. The thinking switch is the master: off sends `think_off` and
    nothing else; an effort or a budget implies thinking on (a budget means nothing to a model that does not
    think); `effort_map=None` is a provider we know nothing about: the level goes out as `reasoning_effort`."""
    if effort == "off":
        thinking = False
    notes: list[str] = []
    if thinking is False:
        if budget is not None:
            notes.append("thinking is off: the budget was not sent")
        return ReasoningPlan(False, effort, None, None, dict(think_off), tuple(notes))
    wants = effort is not None or budget is not None
    body: dict[str, Any] = dict(think_on) if (thinking or wants) else {}
    applied = None
    if effort is not None:
        mapped: Mapping[str, Mapping[str, Any]] = (
            effort_map if effort_map is not None else {level: {"reasoning_effort": level} for level in LEVELS[1:]}
        )
        applied = nearest(effort, mapped)
        if applied is None:
            notes.append("this provider takes no reasoning effort: only the thinking switch was sent")
        else:
            body = deep_merge(body, mapped[applied])
    sent_budget = None
    if budget is not None:
        if budget_key:
            body[budget_key] = budget
            sent_budget = budget
        else:
            notes.append("this provider takes no reasoning budget: use an effort level instead")
    if applied is not None and budget_key and sent_budget is None and budget_key in body:
        sent_budget = body[budget_key] if isinstance(body[budget_key], int) else None
    return ReasoningPlan(True if (thinking or wants) else None, effort, applied, sent_budget, body, tuple(notes))


def thinking_ignored(plan: ReasoningPlan, reasoning: str) -> bool:
    """Thinking was switched off and reasoning came anyway (Qwen3 behind some servers does)."""
    return plan.thinking is False and bool(reasoning.strip())


def budget_exhausted(finish_reason: str | None, reasoning: str, answer: str, reasoning_tokens: int | None,
                     max_tokens: int | None) -> str | None:
    """"reasoning used N of M tokens before the answer began" when the answer was cut at the length limit
    with little or nothing of it written (reasoning took the room); None otherwise."""
    if finish_reason != "length" or not reasoning.strip():
        return None
    if answer.strip() and len(answer) * 10 > len(reasoning):  # a real answer that simply ran long
        return None
    used = reasoning_tokens if reasoning_tokens is not None else max(1, round(len(reasoning) / 4))
    limit = f" of {max_tokens}" if max_tokens else ""
    began = "before the answer began" if not answer.strip() else "and left the answer almost no room"
    return f"reasoning used {used}{limit} tokens {began}"


def lower(effort: str | None) -> str:
    """The next effort down, for "try again thinking less" ("low" stays "low")."""
    order = LEVELS[1:]
    if effort not in order:
        return "medium"
    return order[max(0, order.index(effort) - 1)]
