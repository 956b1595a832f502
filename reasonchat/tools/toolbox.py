"""`ToolBox`: the configured MCP servers, started together, their tools offered under one set of names.

Each server lives in a task of its own that holds its connection (the SDK's stdio or Streamable HTTP
transport and its `ClientSession`) open until `aclose`: the SDK's transports are async context managers
that must be left in the task that entered them. Servers start concurrently; one that fails is kept with a
one-line reason and the others serve. A stdio server gets the SDK's minimal environment (HOME, PATH, SHELL,
TERM, USER, LOGNAME) plus its own `env` — never this process's API keys — and writes its stderr to a log
file (never to the terminal the TUI draws on), whose last line explains a server that would not start.

The client declares no roots, sampling or elicitation: server-filesystem would replace its allowed
directories with a client's roots, and a server that asks for sampling or elicitation anyway gets the SDK's
"not supported" answer. Calls are cancellable (the SDK tells the server with `notifications/cancelled`) and
bounded by the server's `timeout`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jsonschema
from mcp import ClientSession, StdioServerParameters, stdio_client, types
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from reasonchat.text.sanitize import clean, clean_line
from reasonchat.tools.names import offered_names
from reasonchat.tools.settings import RESULT_LIMIT, ServerConfig, ToolsConfig

START_TIMEOUT = 30.0  # seconds for a server to start and list its tools
Status = Literal["starting", "started", "failed"]


@dataclass(frozen=True)
class OfferedTool:
    name: str  # what the model calls it
    server: str
    tool: str  # its name on the server
    description: str
    schema: Mapping[str, Any]

    def spec(self) -> dict[str, Any]:
        """The tool in the OpenAI function format, from its MCP input schema."""
        schema = dict(self.schema) if self.schema else {"type": "object", "properties": {}}
        return {"type": "function",
                "function": {"name": self.name, "description": self.description, "parameters": schema}}


@dataclass
class Server:
    config: ServerConfig
    status: Status = "starting"
    reason: str = ""
    tools: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (name, description, schema)
    session: ClientSession | None = None
    started_in: float | None = None  # seconds it took to start


@dataclass(frozen=True)
class Outcome:
    ok: bool
    text: str  # the result, or what went wrong, as the model is told it
    error: str | None = None  # one line for the user when it failed


class ToolBox:
    def __init__(self, config: ToolsConfig, log_dir: Path | None = None) -> None:
        self.config = config
        self.log_dir = log_dir
        self.servers = {s.name: Server(s) for s in config.enabled}
        self._offered: dict[str, OfferedTool] = {}
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._ready: dict[str, asyncio.Event] = {}
        self._started: asyncio.Task[None] | None = None

    @property
    def offered(self) -> list[OfferedTool]:
        return list(self._offered.values())

    def find(self, name: str) -> OfferedTool | None:
        return self._offered.get(name)

    @property
    def started(self) -> bool:
        """Every server has started or failed (a request now waits for none of them)."""
        return self._started is not None and self._started.done()

    async def start(self) -> None:
        """Start every enabled server (once: later calls wait for the first); returns when each has started
        or failed."""
        if self._started is None:
            self._started = asyncio.ensure_future(self._start_all())
        await asyncio.shield(self._started)

    async def _start_all(self) -> None:
        _keep_sdk_logs(self.log_dir)
        holding: dict[str, asyncio.Task[None]] = {}
        for server in self.servers.values():
            self._ready[server.config.name] = ready = asyncio.Event()
            holding[server.config.name] = task = asyncio.create_task(self._hold(server, ready))
            self._tasks.append(task)
        for name, ready in self._ready.items():
            try:
                await asyncio.wait_for(ready.wait(), START_TIMEOUT)
            except TimeoutError:
                server = self.servers[name]
                said = _last_words(self._log_path(name))
                server.status = "failed"
                server.reason = clean_line(f"did not start within {START_TIMEOUT:.0f} s"
                                           + (f" (its last words: {said})" if said else ""), 200)
                holding[name].cancel()  # (its process ends now, not when the app does)
        listed = [(s.config.name, tool) for s in self.servers.values() if s.status == "started" for tool in s.tools]
        names = offered_names((server, tool[0]) for server, tool in listed)
        self._offered = {name: OfferedTool(name, server, tool[0], tool[1], tool[2])
                         for name, (server, tool) in zip(names, listed, strict=True)}

    async def _hold(self, server: Server, ready: asyncio.Event) -> None:
        """Connect, list the tools, then hold the connection until `aclose`."""
        began = time.monotonic()
        log = self._log(server.config.name)
        try:
            async with contextlib.AsyncExitStack() as stack:
                stack.callback(log.close)
                read, write = await stack.enter_async_context(self._transport(server.config, log))
                session = await stack.enter_async_context(ClientSession(read, write))
                await session.initialize()
                tools: list[tuple[str, str, dict[str, Any]]] = []
                cursor: str | None = None
                for _ in range(100):  # (pages; a server that never stops paging is cut off)
                    page = types.PaginatedRequestParams(cursor=cursor) if cursor else None
                    listing = await session.list_tools(params=page)
                    tools += [(t.name, t.description or "", dict(t.input_schema or {})) for t in listing.tools]
                    cursor = listing.next_cursor
                    if not cursor:
                        break
                server.tools, server.session = tools, session
                server.status, server.started_in = "started", time.monotonic() - began
                ready.set()
                await self._stop.wait()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # (the SDK's task groups raise groups: the first leaf says why)
            if server.status != "started":
                server.status, server.reason = "failed", _why(exc, server.config, self._log_path(server.config.name))
        finally:
            server.session = None
            if server.status == "started" and not self._stop.is_set():
                server.status, server.reason = "failed", "it exited"
            ready.set()

    def _transport(self, config: ServerConfig, log: Any) -> Any:
        if config.url:
            import httpx2

            client = httpx2.AsyncClient(headers=dict(config.headers), timeout=httpx2.Timeout(30.0, read=300.0))
            return streamable_http_client(config.url, http_client=client)
        cwd = str(Path(config.cwd).expanduser()) if config.cwd else None
        params = StdioServerParameters(command=str(Path(config.command).expanduser()) if "/" in config.command
                                       else config.command, args=list(config.args), env=dict(config.env) or None,
                                       cwd=cwd)
        return stdio_client(params, errlog=log)

    def _log_path(self, name: str) -> Path | None:
        return self.log_dir / f"mcp-{name}.log" if self.log_dir is not None else None

    def _log(self, name: str) -> Any:
        path = self._log_path(name)
        if path is None:
            return open(os.devnull, "w")
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            return open(path, "w", encoding="utf-8", errors="replace")
        return open(os.devnull, "w")

    async def call(self, name: str, arguments: str) -> Outcome:
        """Run the offered tool `name` with `arguments` (the model's JSON text). Never raises for the tool's or
        the model's mistakes: an unknown tool, arguments that are not JSON or do not fit the schema, a server
        error (an `isError` result or a JSON-RPC error) and a timeout each come back as an Outcome saying so.
        Cancelling the caller cancels the call."""
        offered = self._offered.get(name)
        if offered is None:
            known = ", ".join(self._offered) or "none"
            return _failed(f"there is no tool named {name!r} (the tools: {known})")
        try:
            parsed = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError as exc:
            return _failed(f"the arguments are not valid JSON ({exc.msg} at character {exc.pos})")
        if not isinstance(parsed, dict):
            return _failed("the arguments must be a JSON object")
        if offered.schema:
            try:
                jsonschema.validate(parsed, dict(offered.schema))
            except jsonschema.ValidationError as exc:
                where = "/".join(str(p) for p in exc.absolute_path)
                return _failed(f"the arguments do not fit the tool's schema{' at ' + where if where else ''}: "
                               f"{exc.message}")
            except jsonschema.SchemaError:
                pass  # (the server's schema is its own business: the server checks)
        server = self.servers[offered.server]
        if server.session is None:
            return _failed(f"the server {offered.server} is not running ({server.reason or 'stopped'})")
        timeout = server.config.timeout
        try:
            async with asyncio.timeout(timeout):
                result = await server.session.call_tool(offered.tool, parsed)
        except TimeoutError:
            return _failed(f"the call took longer than {timeout:g} s and was cancelled")
        except MCPError as exc:
            if exc.code != types.CONNECTION_CLOSED:
                return _failed(f"the server answered with an error: {exc}")
            # The server went away in the middle of the call (it crashed, or was killed): said once, with its
            # last words on stderr, and every later call is told it is not running.
            said = "" if server.config.url else _last_words(self._log_path(offered.server))
            server.session, server.status = None, "failed"
            gone = "it closed the connection" if server.config.url else "it exited"
            server.reason = clean_line(f"{gone}{': ' + said if said else ''}", 200)
            return _failed(f"the server {offered.server} ended during the call ({server.reason})")
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a server gone away, a broken pipe
            return _failed(f"the call failed: {_leaf(exc)}")
        text = result_text(result.content, result.structured_content)
        if result.is_error:
            text = text or "the tool reported an error"
            return Outcome(False, text, clean_line(text))
        return Outcome(True, text)

    async def aclose(self) -> None:
        """End every server (their processes end with them) and wait for that."""
        self._stop.set()
        if self._started is not None and not self._started.done():
            self._started.cancel()
        if self._tasks:
            with contextlib.suppress(Exception):
                await asyncio.wait(self._tasks, timeout=8.0)
            for task in self._tasks:
                task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(*self._tasks, return_exceptions=True)


def _keep_sdk_logs(log_dir: Path | None) -> None:
    """The SDK logs what it cannot parse (a server that prints a banner on stdout) with a traceback: into
    `logs/mcp-client.log`, never onto the user's terminal — Python's last-resort handler writes to stderr."""
    sdk = logging.getLogger("mcp")
    if sdk.handlers:
        return
    handler: logging.Handler = logging.NullHandler()
    if log_dir is not None:
        with contextlib.suppress(OSError):
            log_dir.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_dir / "mcp-client.log", encoding="utf-8", delay=True)
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    sdk.addHandler(handler)
    sdk.propagate = False


def _failed(text: str) -> Outcome:
    return Outcome(False, f"Error: {text}", clean_line(text))


def result_text(content: Any, structured: Any = None) -> str:
    """A result as text for the model: its text blocks; an image, audio or a resource is named and said to be
    left out. Cut at RESULT_LIMIT characters (saying so)."""
    parts: list[str] = []
    for block in content or ():
        kind = getattr(block, "type", "")
        if kind == "text":
            parts.append(str(getattr(block, "text", "")))
        elif kind in ("image", "audio"):
            mime = getattr(block, "mime_type", None) or getattr(block, "mimeType", None) or kind
            parts.append(f"[an {kind} ({mime}) was returned and left out]" if kind == "image"
                         else f"[{kind} ({mime}) was returned and left out]")
        elif kind in ("resource", "resource_link"):
            resource = getattr(block, "resource", block)
            uri = getattr(resource, "uri", "") or getattr(block, "uri", "")
            parts.append(f"[a resource ({uri}) was returned and left out]")
        else:
            parts.append(f"[a {kind or 'block'} was returned and left out]")
    if not parts and structured is not None:
        parts.append(json.dumps(structured, ensure_ascii=False))
    text = "\n".join(parts)
    if len(text) > RESULT_LIMIT:
        text = text[:RESULT_LIMIT] + f"\n[… cut: the result was {len(text):,} characters, {RESULT_LIMIT:,} are kept]"
    return text


def _leaf(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return clean_line(str(exc) or type(exc).__name__, 200)


def _why(exc: BaseException, config: ServerConfig, log: Path | None) -> str:
    """One line: why a server did not start — not found, or its own last words on stderr."""
    leaf = exc
    while isinstance(leaf, BaseExceptionGroup) and leaf.exceptions:
        leaf = leaf.exceptions[0]
    if isinstance(leaf, FileNotFoundError) and config.command:
        return f"{config.command!r} was not found (is it installed and on PATH?)"
    if config.url:
        return clean_line(f"cannot reach {config.url}: {_leaf(exc)}", 200)
    said = _last_words(log)
    if said:
        return clean_line(f"it exited: {said}", 200)
    return f"it failed to start: {_leaf(exc)}"


def _last_words(log: Path | None) -> str:
    """The last line a server wrote to its stderr log ("" when there is none). Only the log's last 4 KB are
    read: a chatty server's log may be large, and this runs on the event loop."""
    if log is None:
        return ""
    with contextlib.suppress(OSError), log.open("rb") as file:
        file.seek(max(0, file.seek(0, os.SEEK_END) - 4096))
        lines = [line for line in file.read().decode("utf-8", "replace").splitlines() if line.strip()]
        return clean(lines[-1]) if lines else ""
    return ""
