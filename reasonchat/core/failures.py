"""Turn SDK and transport exceptions into one line that names the cause and the fix.

Kept apart from the client so the wording can be tested and reused (`models`, `ask`, the TUI) without a
stream. Every message is cleaned of control characters and has the API key blanked out, whatever the
provider echoed back.
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from reasonchat.core.decoder import error_message
from reasonchat.sanitize import clean_line

KEEPALIVE_FACTOR = 10  # keep-alive comments alone end the wait after this many read timeouts (15 min)


@dataclass(frozen=True, slots=True)
class Context:
    """What a message may mention: which preset, which key variable, where, which model."""

    preset: str
    base_url: str
    model: str
    key_hint: str  # e.g. "DEEPSEEK_API_KEY", or "api_key_cmd" — never the key itself
    timeout: float
    api_key: str = ""  # only used to blank it out of messages

    def redact(self, text: str) -> str:
        if len(self.api_key) >= 6:
            text = text.replace(self.api_key, "****")
        return text


def _body_text(body: Any, raw: str) -> str:
    stripped = raw.lstrip().lower()
    if stripped.startswith(("<!doctype html", "<html")) or "<body" in stripped[:500]:
        return "the server returned an HTML page, not JSON"
    if body is None:
        return clean_line(raw, 160) or "no details"
    return error_message(body)


def describe_status(status: int, body: Any, raw: str, ctx: Context) -> str:
    """A refused request (HTTP 4xx/5xx) as one line."""
    detail = f"HTTP {status}: {_body_text(body, raw)}"
    if status == 401:
        text = f"authentication failed ({detail}) — check the API key for preset '{ctx.preset}' ({ctx.key_hint})"
    elif status == 402:
        text = f"the provider refused the request ({detail}) — top up the account's balance"
    elif status == 403:
        text = f"access denied ({detail}) — the key may not be allowed to use model '{ctx.model}'"
    elif status == 404:
        text = (
            f"not found ({detail}) — check the model id '{ctx.model}' (`reasonchat models`) "
            f"and base_url {ctx.base_url}"
        )
    elif status == 429:
        text = f"rate limited ({detail}) — retried already; wait a moment and try again"
    elif status >= 500:
        text = f"the provider failed ({detail}) — retried already; try again later"
    elif status == 413 or any(s in raw.lower() for s in ("context length", "context_length", "too many tokens")):
        text = (f"the conversation is too long for the model ({detail}) — start a new conversation, or send "
                f"a shorter message")
    elif "data_inspection_failed" in raw or "content_filter" in raw:
        text = f"the provider's content moderation blocked the request ({detail})"
    else:
        text = f"the provider rejected the request ({detail})"
    return ctx.redact(text)


def describe_connect(exc: BaseException, ctx: Context) -> str:
    """The request never got an answer: refused, unresolvable host, connect/read timeout."""
    host = urlsplit(ctx.base_url).netloc or ctx.base_url
    causes = _causes(exc)
    chain = " ".join(str(e) for e in causes).lower()
    refused = any(isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED
                  for e in causes)
    unresolved = any(isinstance(e, socket.gaierror) for e in causes)
    if "timed out" in chain or "timeout" in type(exc).__name__.lower():
        text = (
            f"no response from {host} within {ctx.timeout:g} s — check the network, "
            f"or raise `timeout` for preset '{ctx.preset}'"
        )
    elif unresolved or any(s in chain for s in ("name or service not known", "nodename nor servname",
                                                "temporary failure in name resolution", "no address associated")):
        text = f"cannot resolve host '{host}' — check base_url for preset '{ctx.preset}' and the network"
    elif refused or "refused" in chain:
        text = f"cannot connect to {ctx.base_url}: connection refused — is the server running?"
    else:
        reason = clean_line(str(_causes(exc)[-1]), 120) or type(exc).__name__
        text = f"cannot connect to {ctx.base_url}: {reason}"
    return ctx.redact(text)


def describe_broken(exc: BaseException, ctx: Context) -> str:
    """The stream had started and then broke: silence past the read timeout, or a dropped connection."""
    if "timeout" in type(exc).__name__.lower():
        return (
            f"the provider sent nothing for {ctx.timeout:g} s mid-answer (read timeout) — "
            f"raise `timeout` for preset '{ctx.preset}' if the model is just slow"
        )
    return ctx.redact(f"the connection dropped mid-answer ({clean_line(str(exc), 100) or type(exc).__name__})")


def describe_only_keepalives(seconds: float, ctx: Context) -> str:
    """The connection stayed open but carried nothing but keep-alive comments (a queue that never moved)."""
    return (
        f"the provider sent only keep-alive comments for {seconds:g} s (queued, or stuck) — try again later, "
        f"or raise `timeout` for preset '{ctx.preset}' (a queue may last {KEEPALIVE_FACTOR}× that)"
    )


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
