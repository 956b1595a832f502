"""Function names the model is offered: unique across servers and valid for every provider.

Providers take `^[a-zA-Z0-9_-]{1,64}$` (OpenAI's rule, which DeepSeek, Qwen and vLLM's parsers follow). A tool
whose name two servers share is offered as `server__tool` for each; a name with other characters has them
replaced by `_`; a name too long is cut, keeping a short hash so two long names stay apart.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

_INVALID = re.compile(r"[^a-zA-Z0-9_-]")
LIMIT = 64


def valid(name: str) -> str:
    out = _INVALID.sub("_", name) or "tool"
    if len(out) > LIMIT:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        out = f"{out[:LIMIT - 9]}_{digest}"
    return out


def offered_names(tools: Iterable[tuple[str, str]]) -> list[str]:
    """For each (server, tool), the name the model sees, in the same order."""
    pairs = list(tools)
    shared = Counter(valid(tool) for _, tool in pairs)
    names = [valid(f"{server}__{tool}") if shared[valid(tool)] > 1 else valid(tool) for server, tool in pairs]
    seen: Counter[str] = Counter()
    out = []
    for name in names:  # (still equal after cleaning: numbered)
        seen[name] += 1
        out.append(name if seen[name] == 1 else valid(f"{name}_{seen[name]}"))
    return out
