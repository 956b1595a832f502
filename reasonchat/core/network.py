"""The HTTP client under the SDK, and which proxy a request goes through.

Proxies are httpx's business: the SDK's default client reads `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` /
`NO_PROXY` (either case) exactly as httpx does, as long as no custom transport is given — so none is. What
this module adds is what httpx cannot know: a preset's own `proxy` key (`""` = go direct even when the
environment names a proxy), a clear line when a proxy URL cannot be used (SOCKS without its extra, an
unknown scheme), and — for error messages only — which proxy a request went through and which variable
named it, with any password blanked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from reasonchat.errors import ConfigError

if TYPE_CHECKING:
    import httpx2

# A mount of None means "the client's own transport, no proxy": these three keys shadow every proxy the
# environment could name, while the rest of `trust_env` (SSL_CERT_FILE, .netrc) keeps working.
_DIRECT: dict[str, None] = {"http://": None, "https://": None, "all://": None}
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


@dataclass(frozen=True)
class Route:
    """The proxy a request goes through: its URL (password blanked) and where that came from."""

    proxy: str
    source: str  # "HTTPS_PROXY", "https_proxy", "ALL_PROXY", or "proxy of preset 'lab'"

    def __str__(self) -> str:
        return f"the proxy {self.proxy} (from {self.source})"


def redact(url: str) -> str:
    """`url` with the password of its user info replaced by ****."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{user}:****@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _env_name(scheme: str) -> str:
    """The variable httpx (through urllib) read for `scheme`: the lower-case one wins, as in urllib."""
    lower = f"{scheme}_proxy"
    return lower if os.environ.get(lower) else lower.upper()


def route(base_url: str, preset_proxy: str | None, preset: str) -> Route | None:
    """The proxy a request to `base_url` goes through, decided as httpx decides it, or None for direct."""
    if preset_proxy is not None:
        return Route(redact(preset_proxy), f"proxy of preset '{preset}'") if preset_proxy else None
    # httpx's own reading of the environment and its own matching, so the answer cannot drift from what
    # the client does (the module is private to httpx2; the version range in pyproject.toml pins it).
    import httpx2
    from httpx2._utils import URLPattern, get_environment_proxies

    try:
        url = httpx2.URL(base_url)
    except httpx2.InvalidURL:
        return None
    mounts = sorted((URLPattern(key), value) for key, value in get_environment_proxies().items())
    for pattern, proxy in mounts:
        if pattern.matches(url):
            if proxy is None:
                return None
            scheme = pattern.scheme or "all"
            return Route(redact(proxy), _env_name(scheme))
    return None


def http_client(base_url: str, preset_proxy: str | None, preset: str) -> httpx2.AsyncClient:
    """The SDK's default async client (its timeouts, limits, redirects), with the preset's proxy choice.

    Raises ConfigError, one line, when a proxy URL cannot be used — including one from the environment
    that this request would not even use: httpx builds every proxy it is given up front."""
    import openai

    try:
        if preset_proxy == "":
            return openai.DefaultAsyncHttpxClient(mounts=_DIRECT)
        return openai.DefaultAsyncHttpxClient(proxy=preset_proxy or None)
    except ImportError:  # a socks5:// proxy without socksio
        raise ConfigError(f"{_culprit(base_url, preset_proxy, preset, True)} is a SOCKS proxy, which needs "
                          "an optional extra — pip install 'reasonchat[socks]'") from None
    except ValueError as exc:  # a scheme httpx does not speak, or a URL it cannot parse
        raise ConfigError(f"{_culprit(base_url, preset_proxy, preset, False)} cannot be used: {exc} — proxies "
                          f"are {', '.join(s + '://' for s in PROXY_SCHEMES)} URLs") from None


def _culprit(base_url: str, preset_proxy: str | None, preset: str, socks: bool) -> str:
    """Name the proxy that could not be built: the preset's, else the environment's one of that kind."""
    if preset_proxy:
        return str(Route(redact(preset_proxy), f"proxy of preset '{preset}'"))
    for name in ("https", "http", "all"):
        variable = _env_name(name)
        value = os.environ.get(variable, "")
        scheme = urlsplit(value if "://" in value else f"http://{value}").scheme.lower()
        if value and (scheme.startswith("socks") if socks else scheme not in PROXY_SCHEMES):
            return str(Route(redact(value), variable))
    return str(route(base_url, None, preset) or "a proxy from the environment")
