"""`reasonchat tools [--json]`: each configured MCP server, started or the one line why not, and its tools.

Every server is started as a chat would start it (concurrently, with the same minimal environment) and ended
before this returns. Exit 0 when every enabled server started, 1 when one did not, so scripts can check a
config; no servers configured is not an error.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from reasonchat import paths
from reasonchat.text.sanitize import clean_line
from reasonchat.tools.settings import ToolsConfig, with_demo


async def run(config: ToolsConfig, demo: bool, as_json: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if demo:
        config = with_demo(config)
    if not config.servers:
        if as_json:
            out.write("[]\n")
        else:
            out.write("No MCP servers are configured: add an [mcp.NAME] table to the config "
                      "(README, \"Tools\"), or try `reasonchat tools --demo`.\n")
        return 0
    from reasonchat.tools.toolbox import ToolBox

    box = ToolBox(config, paths.data_dir() / "logs")
    try:
        await box.start()
    finally:
        await box.aclose()
    offered = {(t.server, t.tool): t.name for t in box.offered}
    rows = []
    for name, server in config.servers.items():
        held = box.servers.get(name)
        status = "disabled" if held is None else held.status
        rows.append({
            "name": name, "where": server.where, "status": status, "reason": held.reason if held else "",
            "approve": server.approve, "auto_approve": list(server.auto_approve), "timeout": server.timeout,
            "tools": [{"name": tool, "offered_as": offered.get((name, tool), tool), "description": description,
                       "asks": server.asks(tool)} for tool, description, _ in (held.tools if held else [])],
        })
    if as_json:
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        for row in rows:
            state = {"started": "started", "disabled": "disabled (enabled = false)"}.get(
                str(row["status"]), f"did not start — {row['reason']}")
            out.write(f"{clean_line(str(row['name']), 60)}  {clean_line(str(row['where']), 80)}  {state}\n")
            for tool in row["tools"]:  # type: ignore[attr-defined]
                ask = "asks" if tool["asks"] else "runs without asking"
                shown = tool["name"] if tool["offered_as"] == tool["name"] else f"{tool['name']} ({tool['offered_as']})"
                out.write(f"  ⚙ {clean_line(shown, 80)} — {clean_line(tool['description'], 90)} [{ask}]\n")
    return 0 if all(row["status"] in ("started", "disabled") for row in rows) else 1
