"""A provider ready to call: everything the engine needs, resolved from a preset, the config and flags.

The engine never reads config files or the environment itself; `providers.resolve` builds this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reasonchat.core.context import window_of
from reasonchat.core.effort import ReasoningPlan, plan
from reasonchat.core.merge import deep_merge


@dataclass(frozen=True)
class Provider:
    name: str  # the preset's name, or "ad-hoc"
    base_url: str
    model: str  # may be "" for vLLM-style servers: the first id of GET /models is used
    api_key: str = field(default="EMPTY", repr=False)
    key_hint: str = ""  # where the key came from, for messages: "DEEPSEEK_API_KEY", "api_key_cmd" …
    headers: Mapping[str, str] = field(default_factory=dict)
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    think_on: Mapping[str, Any] = field(default_factory=dict)
    think_off: Mapping[str, Any] = field(default_factory=dict)
    send_reasoning: bool = False
    tools: bool = True  # the model takes tools (a preset's `tools = false`: never offered any)
    tool_reasoning: bool = False  # tool-calling turns carry their reasoning back (DeepSeek's thinking mode)
    vision: bool = False  # every model takes images
    vision_models: tuple[str, ...] = ()  # the models that take images
    context_window: int | None = None  # tokens, where the preset says (every model of it)
    context_windows: Mapping[str, int] = field(default_factory=dict)  # model -> tokens, from a table
    schema_mode: str = "json_schema"  # how `ask --schema` asks for JSON (core/schema.py)
    timeout: float = 90.0
    max_retries: int = 2
    max_tokens: int | None = None
    temperature: float | None = None
    proxy: str | None = None  # None: as the environment says (HTTPS_PROXY …); "": direct; else this proxy
    effort: str | None = None  # the preset's effort level (core.effort.LEVELS); None: the provider's default
    budget: int | None = None  # the preset's reasoning budget in tokens, where the provider takes one
    effort_map: Mapping[str, Mapping[str, Any]] | None = None  # level -> body fragment; None: `reasoning_effort`
    budget_key: str = ""  # the body field a budget goes in ("thinking_budget"); "": the provider takes none
    price: Mapping[str, Any] | None = None  # the preset's price table (core/cost.py)

    def takes_images(self, model: str) -> bool:
        return self.vision or model in self.vision_models

    def known_window(self, model: str, served: int | None = None) -> int | None:
        return window_of(model, self.context_window, self.context_windows, served)

    def plan(self, thinking: bool | None, effort: str | None = None, budget: int | None = None) -> ReasoningPlan:
        """What a request with this thinking switch sends about reasoning: `effort`/`budget` override the
        preset's own (the TUI's effort key, `ask --effort`)."""
        return plan(thinking=thinking, effort=effort or self.effort, budget=budget or self.budget,
                    think_on=self.think_on, think_off=self.think_off, effort_map=self.effort_map,
                    budget_key=self.budget_key)

    def request_extras(self, thinking: bool | None, effort: str | None = None, budget: int | None = None
                       ) -> dict[str, Any]:
        """`extra_body` with the reasoning plan merged in; thinking None and no effort leave the provider's
        default."""
        return deep_merge(self.extra_body, self.plan(thinking, effort, budget).body)
