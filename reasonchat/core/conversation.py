"""Messages of a conversation and the history policy for the next request.

History policy (DESIGN.md "Stream semantics"): earlier assistant turns go back with their answer only —
never the reasoning, unless the preset opts in with `send_reasoning`, then as `reasoning_content`. A user
message whose answer failed or is empty is left out together with it, so the request still alternates
user/assistant (Qianfan requires that) and the model is not shown a question twice. The system prompt is
the latest one given (a `--system` on a continued conversation replaces the earlier one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reasonchat.core.attachments import Attachment, content
from reasonchat.core.tool_calls import Round


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR as LF. Terminals send CR for each line of a paste (xterm, VTE, tmux), Windows files
    bring CRLF: a message is stored and sent with plain newlines, whatever brought it."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str
    reasoning: str = ""
    status: str = "complete"
    rounds: list[Round] = field(default_factory=list)  # an answer's tool rounds, before its final text
    attachments: tuple[Attachment, ...] = ()  # the files sent with a user message


def build_request(
    history: Iterable[Message],
    prompt: str,
    *,
    system: str | None = None,
    send_reasoning: bool = False,
    tool_reasoning: bool = False,
    attachments: tuple[Attachment, ...] | list[Attachment] = (),
) -> list[dict[str, Any]]:
    """The `messages` array for asking `prompt` after `history`. An answer that called tools goes back as it
    happened: each round's assistant message with its calls, their results, then the answer — with every
    reasoning of that turn when `tool_reasoning` (DeepSeek's thinking mode: else HTTP 400). A user message's
    attachments go with it every time (core/attachments.py), the new prompt's as `attachments`."""
    earlier = list(history)
    systems = [m.content for m in earlier if m.role == "system"]
    system_text = system or (systems[-1] if systems else "")
    out: list[dict[str, Any]] = [{"role": "system", "content": system_text}] if system_text else []
    pending_user: Message | None = None
    for message in earlier:
        if message.role == "user":
            pending_user = message  # kept only once a usable answer follows
        elif message.role == "assistant" and pending_user is not None and message.content.strip():
            out.append({"role": "user", "content": content(pending_user.content, pending_user.attachments)})
            for done in message.rounds:
                out += done.wire(tool_reasoning)
            turn: dict[str, Any] = {"role": "assistant", "content": message.content}
            if (send_reasoning and message.reasoning) or (tool_reasoning and message.rounds):
                turn["reasoning_content"] = message.reasoning
            out.append(turn)
            pending_user = None
    out.append({"role": "user", "content": content(prompt, attachments)})
    return out


def answer_now_request(request: list[dict[str, Any]], reasoning: str) -> list[dict[str, Any]]:
    """The request again, for "stop thinking, answer now": the last user message carries the reasoning so far
    as a quoted note, and the caller switches thinking off. No provider we support takes a partial reasoning
    back as the model's own (DeepSeek ignores earlier `reasoning_content`, vLLM drops it), so it goes where
    every model reads it — in words, visible in the request like anything else the user sends."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in reasoning.strip().splitlines())
    note = ("\n\n---\nYour reasoning on this so far was cut short. Do not think further: give your answer now, "
            f"from this reasoning:\n\n{quoted}")
    out = [dict(m) for m in request]
    for message in reversed(out):
        if message.get("role") == "user":
            said = message.get("content")
            if isinstance(said, list):  # (with images: the note joins the text part)
                message["content"] = [{**p, "text": f"{p.get('text') or ''}{note}"} if p.get("type") == "text" else p
                                      for p in said]
            else:
                message["content"] = f"{said or ''}{note}"
            break
    return out
