"""A provider ready to call: everything the engine needs, resolved from a preset, the config and flags.

The engine never reads config files or the environment itself; `config.resolve` builds this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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
    timeout: float = 90.0
    max_retries: int = 2
    max_tokens: int | None = None
    temperature: float | None = None
    proxy: str | None = None  # None: as the environment says (HTTPS_PROXY …); "": direct; else this proxy

    def request_extras(self, thinking: bool | None) -> dict[str, Any]:
        """`extra_body` with the thinking switch merged in; None leaves the provider's default."""
        switch = self.think_on if thinking else self.think_off if thinking is False else {}
        return deep_merge(self.extra_body, switch)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge nested tables: `override` wins key by key, tables are merged rather than replaced."""
    merged: dict[str, Any] = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(old, value)
        else:
            merged[key] = value
    return merged
