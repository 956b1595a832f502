"""`[mcp.NAME]` and `[tools]` of config.toml: the MCP servers a user configured and the loop's limits.

Checked here, key by key, into plain values; `config.py` names the file and line of each problem. A server is
either a command (stdio: `command`, `args`, `env`, `cwd`) or a `url` (Streamable HTTP, with `headers`).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

APPROVE = ("ask", "auto")
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_ROUNDS = 8
RESULT_LIMIT = 100_000  # characters of one result kept (and sent): a tool that dumps megabytes is cut, and says so


@dataclass(frozen=True)
class ServerConfig:
    name: str
    command: str = ""
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict, repr=False)  # added to the SDK's minimal environment
    cwd: str = ""
    url: str = ""
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    approve: str = "ask"  # "auto": its calls run without asking
    auto_approve: tuple[str, ...] = ()  # its tools that run without asking
    timeout: float = DEFAULT_TIMEOUT  # seconds for one call
    enabled: bool = True

    def asks(self, tool: str) -> bool:
        """Whether a call of `tool` waits for the user."""
        return self.approve != "auto" and tool not in self.auto_approve

    @property
    def where(self) -> str:
        """What it runs or where it is, for listings ("mcp-server-time --local-timezone …", a URL)."""
        return self.url or " ".join((self.command, *self.args))


@dataclass(frozen=True)
class ToolsConfig:
    servers: Mapping[str, ServerConfig] = field(default_factory=dict)
    max_rounds: int = DEFAULT_MAX_ROUNDS

    @property
    def enabled(self) -> list[ServerConfig]:
        return [s for s in self.servers.values() if s.enabled]


_STRINGS = "a list of strings"
_TABLE = "a table of strings"
SERVER_KEYS: dict[str, str] = {
    "command": "a string", "args": _STRINGS, "env": _TABLE, "cwd": "a string", "url": "a string",
    "headers": _TABLE, "approve": '"ask" or "auto"', "auto_approve": _STRINGS, "timeout": "a number of seconds",
    "enabled": "true or false",
}


def _fits(key: str, value: Any) -> bool:
    expected = SERVER_KEYS[key]
    if expected == "a string":
        return isinstance(value, str)
    if expected == _STRINGS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if expected == _TABLE:
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if key == "approve":
        return value in APPROVE
    if key == "timeout":
        return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return isinstance(value, bool)


def check_server(name: str, table: Mapping[str, Any]) -> tuple[ServerConfig | None, list[tuple[str | None, str]]]:
    """The server `[mcp.NAME]` describes, and its problems as (key, what is wrong) — key None for the table."""
    problems: list[tuple[str | None, str]] = []
    good: dict[str, Any] = {}
    for key, value in table.items():
        if key not in SERVER_KEYS:
            problems.append((key, ""))  # (config.py says so, with the closest key)
        elif not _fits(key, value):
            problems.append((key, f"{key} must be {SERVER_KEYS[key]}, not {value!r}"[:200]))
        else:
            good[key] = value
    if bool(good.get("command")) == bool(good.get("url")) and not any(k in ("command", "url") for k, _ in problems):
        problems.append((None, "needs either command (a program that speaks MCP on stdio) or url (Streamable HTTP)"))
    if good.get("url") and not str(good["url"]).startswith(("http://", "https://")):
        problems.append(("url", f"url must be an http:// or https:// URL, not {good['url']!r}"))
    if problems:
        return None, problems
    for key in ("args", "auto_approve"):
        if key in good:
            good[key] = tuple(good[key])
    if "timeout" in good:
        good["timeout"] = float(good["timeout"])
    return ServerConfig(name=name, **good), []


def check_tools(table: Mapping[str, Any]) -> tuple[int, list[tuple[str | None, str]]]:
    """`[tools]`: its max_rounds, and its problems."""
    problems: list[tuple[str | None, str]] = []
    rounds = DEFAULT_MAX_ROUNDS
    for key, value in table.items():
        if key != "max_rounds":
            problems.append((key, ""))
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append((key, f"max_rounds must be a whole number of at least 1, not {value!r}"))
        else:
            rounds = value
    return rounds, problems


DEMO_SERVER = ServerConfig("demo", command=sys.executable, args=("-m", "reasonchat.demo.mcp_server"))


def with_demo(config: ToolsConfig) -> ToolsConfig:
    """The demo preset's tools: the package's own clock and calculator server beside any configured (a server
    the user named "demo" wins)."""
    if "demo" in config.servers:
        return config
    return replace(config, servers={"demo": DEMO_SERVER, **config.servers})
