"""What one `reasonchat ask` was asked to do: the command line's options, read and checked (files read, the
schema parsed) before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass

from reasonchat.core.attachments import Attachment
from reasonchat.core.schema import Schema


@dataclass(frozen=True)
class AskOptions:
    prompt: str
    thinking: bool | None = None
    continue_last: bool = False
    conversation: int | None = None
    system: str | None = None
    hide_reasoning: bool = False
    json: bool = False
    save: bool = True
    raw: bool = False
    render: bool = False  # the answer rendered as Markdown through Rich, once complete
    effort: str | None = None  # overrides the preset's (core/effort.py)
    budget: int | None = None
    max_tokens: int | None = None
    temperature: float | None = None  # a role's
    role: str | None = None
    tools: bool = True  # offer the configured MCP servers' tools (--no-tools: none)
    yes: bool = False  # approve every tool call (--yes)
    attachments: tuple[Attachment, ...] = ()  # -a PATH…, read and checked (core/attachments.py)
    schema: Schema | None = None  # --schema: the answer must be JSON fitting it (core/schema.py)
