"""Messages of a conversation and the history policy for the next request.

History policy (DESIGN.md "Stream semantics"): earlier assistant turns go back with their answer only —
never the reasoning, unless the preset opts in with `send_reasoning`, then as `reasoning_content`. A user
message whose answer failed or is empty is left out together with it, so the request still alternates
user/assistant (Qianfan requires that) and the model is not shown a question twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str
    reasoning: str = ""
    status: str = "complete"


def build_request(
    history: Iterable[Message],
    prompt: str,
    *,
    system: str | None = None,
    send_reasoning: bool = False,
) -> list[dict[str, Any]]:
    """The `messages` array for asking `prompt` after `history`."""
    out: list[dict[str, Any]] = []
    earlier = list(history)
    has_system = any(m.role == "system" for m in earlier)
    if system and not has_system:
        out.append({"role": "system", "content": system})
    pending_user: Message | None = None
    for message in earlier:
        if message.role == "system":
            out.append({"role": "system", "content": system or message.content})
        elif message.role == "user":
            pending_user = message  # kept only once a usable answer follows
        elif message.role == "assistant" and pending_user is not None and message.content.strip():
            out.append({"role": "user", "content": pending_user.content})
            turn: dict[str, Any] = {"role": "assistant", "content": message.content}
            if send_reasoning and message.reasoning:
                turn["reasoning_content"] = message.reasoning
            out.append(turn)
            pending_user = None
    out.append({"role": "user", "content": prompt})
    return out
