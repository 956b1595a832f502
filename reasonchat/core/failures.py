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
from reasonchat.core.network import Route
from reasonchat.text.sanitize import clean_line

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
    route: Route | None = None  # the proxy the request goes through, if any

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
    if status == 407:
        return ctx.redact(_proxy_auth(ctx))
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
    if ctx.route is not None:  # with a proxy, every connection goes to the proxy: say so, and which one
        return ctx.redact(_through_proxy(ctx.route, causes, chain, refused, unresolved, host, ctx))
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


def _proxy_fix(route: Route, host: str) -> str:
    if route.source.startswith("proxy of preset"):
        return f"check the {route.source}, or set it to \"\" to go direct"
    return f"check {route.source}, or add {host.split(':')[0]} to NO_PROXY to go direct"


def _proxy_auth(ctx: Context) -> str:
    """HTTP 407: the proxy wants a user name and password."""
    if ctx.route is None:
        return "a proxy between here and the provider needs a user name and password (HTTP 407)"
    where = ctx.route.source if not ctx.route.source.startswith("proxy of") else f"the {ctx.route.source}"
    return (f"{ctx.route} needs a user name and password (HTTP 407) — put them in {where} as "
            "http://USER:PASSWORD@HOST:PORT")


def _through_proxy(route: Route, causes: list[BaseException], chain: str, refused: bool, unresolved: bool,
                   host: str, ctx: Context) -> str:
    refusal = next((e for e in causes if type(e).__name__ == "ProxyError"), None)  # CONNECT answered with an error
    fix = _proxy_fix(route, host)
    if refusal is not None and str(refusal).startswith("407"):
        return _proxy_auth(ctx)
    if refusal is not None:
        return f"{route} would not connect to {host} ({clean_line(str(refusal), 80)}) — {fix}"
    if "timed out" in chain:
        return f"no response from {route} within {ctx.timeout:g} s — is the proxy up? {fix[0].upper()}{fix[1:]}"
    if unresolved:
        return f"cannot resolve the host of {route} — {fix}"
    if refused:
        return f"cannot connect to {route}: connection refused — is the proxy running? {fix[0].upper()}{fix[1:]}"
    reason = clean_line(str(causes[-1]), 120) or type(causes[-1]).__name__
    return f"cannot connect through {route}: {reason} — {fix}"


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
