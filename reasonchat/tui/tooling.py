"""The TUI's tools: the MCP servers (started on the first request that offers tools, off the event loop's
time — the SDK is imported on a thread, the servers start as subprocesses the loop only waits on), and the
approvals, asked one at a time in a modal over whatever screen is up. `a` ("always") holds for a tool until
the app quits. Every server ends when the app does (`aclose`)."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reasonchat import paths
from reasonchat.text.sanitize import clean_line
from reasonchat.tools.settings import ToolsConfig, with_demo

if TYPE_CHECKING:
    from textual.app import App

    from reasonchat.core.provider import Provider
    from reasonchat.core.tool_calls import Call
    from reasonchat.tools.toolbox import OfferedTool, ToolBox


class Tooling:
    def __init__(self, app: App[Any], config: ToolsConfig, tell: Callable[[str], None]) -> None:
        self.app = app
        self.config = config
        self.tell = tell
        self.max_rounds = config.max_rounds
        self.always: set[tuple[str, str]] = set()
        self._box: ToolBox | None = None
        self._boxes: list[ToolBox] = []
        self._asking = asyncio.Lock()
        self._starting = asyncio.Lock()

    def configured(self, provider: Provider) -> ToolsConfig:
        return with_demo(self.config) if provider.name == "demo" else self.config

    def offered_for(self, provider: Provider, on: bool) -> bool:
        """Whether a request to `provider` offers tools (servers configured, the preset takes tools, and the
        conversation has them on)."""
        return on and provider.tools and bool(self.configured(provider).enabled)

    def to_start(self, provider: Provider, on: bool) -> list[str]:
        """The servers a request to `provider` would wait for to start: none once they have (or when it
        offers no tools)."""
        if not self.offered_for(provider, on):
            return []
        config = self.configured(provider)
        box = self._box
        if box is not None and box.config == config and box.started:
            return []
        return [server.name for server in config.enabled]

    async def box(self, provider: Provider, on: bool) -> ToolBox | None:
        """The started servers for a request to `provider`, or None when it offers no tools."""
        if not self.offered_for(provider, on):
            return None
        config = self.configured(provider)
        async with self._starting:  # (two compare columns asking at once share one start)
            box = self._box
            if box is None or box.config != config:
                module = await asyncio.to_thread(importlib.import_module, "reasonchat.tools.toolbox")
                self._box = box = module.ToolBox(config, paths.data_dir() / "logs")
                self._boxes.append(box)
                await box.start()
                for server in box.servers.values():
                    if server.status != "started":
                        self.tell(f"Tools: {clean_line(server.config.name, 40)} did not start — {server.reason}")
        await box.start()
        return box

    async def approve(self, call: Call, offered: OfferedTool) -> bool:
        """Ask the user (one question at a time, whichever answer or column asks)."""
        from reasonchat.tui.screens.approval import ApprovalScreen

        if (offered.server, offered.tool) in self.always:
            return True
        async with self._asking:
            if (offered.server, offered.tool) in self.always:
                return True
            decided: asyncio.Future[str] = asyncio.get_running_loop().create_future()

            def done(decision: str | None) -> None:
                if not decided.done():
                    decided.set_result(decision or "no")

            screen = ApprovalScreen(call, offered.description)
            self.app.push_screen(screen, callback=done)
            try:
                decision = await decided
            except asyncio.CancelledError:  # the answer was stopped while it asked: the question goes too
                if screen.is_attached and self.app.screen is screen:
                    screen.dismiss("no")
                raise
        if decision == "always":
            self.always.add((offered.server, offered.tool))
        return decision in ("once", "always")

    async def aclose(self) -> None:
        boxes, self._boxes, self._box = self._boxes, [], None
        for box in boxes:
            await box.aclose()
