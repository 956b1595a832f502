"""Start-up rules: `openai` is not imported before the first frame; a headless start paints the chat."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import spawn_env

PROBE = """
import asyncio, json, sys
from reasonchat import config
from reasonchat.providers import ProviderOptions
from reasonchat.tui import app as app_module

seen = {}

class Probe(app_module.ReasonChatApp):
    def on_ready(self):
        seen["openai_at_first_frame"] = "openai" in sys.modules
        seen["mcp_at_first_frame"] = "mcp" in sys.modules
        seen["header"] = str(self.chat.query_one("HeaderLine").render())
        super().on_ready()

app_module.ReasonChatApp = Probe

async def main():
    app = app_module.make_app(config.load(), ProviderOptions(demo=True), remember=False)
    async with app.run_test() as pilot:
        for _ in range(200):
            if "openai" in sys.modules:
                break
            await pilot.pause(0.05)
        seen["openai_after_preload"] = "openai" in sys.modules
        seen["mcp_after_preload"] = "mcp" in sys.modules

asyncio.run(main())
print(json.dumps(seen))
"""


def test_openai_is_not_imported_before_the_first_frame(home: Path) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60,
                          env=spawn_env(home))
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["openai_at_first_frame"] is False
    assert seen["openai_after_preload"] is True  # loaded in the background once the screen is up
    assert seen["header"].startswith("demo · demo · thinking on")


def test_the_mcp_sdk_loads_only_when_a_request_offers_tools(home: Path) -> None:
    """--demo has its own MCP server: the SDK stays out of the start and the preload all the same."""
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60,
                          env=spawn_env(home))
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["mcp_at_first_frame"] is False and seen["mcp_after_preload"] is False
