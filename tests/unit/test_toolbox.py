"""The toolbox against real MCP servers over stdio — the demo's own, the public reference time server
(`mcp-server-time`, installed by the test extra) and a probe — and the pieces around it: names, settings,
the calculator, DeepSeek's rule as the demo server holds it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from pathlib import Path

import pytest

from reasonchat import config
from reasonchat.demo import tool_turns
from reasonchat.demo.mcp_server import calculate
from reasonchat.errors import ConfigError
from reasonchat.tools.names import offered_names, valid
from reasonchat.tools.settings import ServerConfig, ToolsConfig
from reasonchat.tools.toolbox import ToolBox
from tests.cli.test_tools_cli import alive
from tests.conftest import tool

PROBE = Path(__file__).parent.parent / "fixtures" / "mcp" / "probe_server.py"


def probe(**extra: object) -> ServerConfig:
    return ServerConfig("probe", command=sys.executable, args=(str(PROBE),), **extra)  # type: ignore[arg-type]


def demo_server() -> ServerConfig:
    return ServerConfig("demo", command=sys.executable, args=("-m", "reasonchat.demo.mcp_server"))


async def started(*servers: ServerConfig, log_dir: Path | None = None) -> ToolBox:
    box = ToolBox(ToolsConfig({s.name: s for s in servers}), log_dir)
    await box.start()
    return box


async def test_the_demo_server_and_the_reference_time_server_serve_side_by_side(tmp_path: Path) -> None:
    time_server = ServerConfig("time", command=tool("mcp-server-time"), args=("--local-timezone", "Asia/Shanghai"))
    box = await started(demo_server(), time_server, ServerConfig("gone", command="no-such-mcp-server-here"),
                        log_dir=tmp_path)
    try:
        assert {n: s.status for n, s in box.servers.items()} == {"demo": "started", "time": "started", "gone": "failed"}
        assert "not found" in box.servers["gone"].reason
        assert {t.name for t in box.offered} == {"get_time", "calculate", "get_current_time", "convert_time"}
        spec = box.find("get_current_time").spec()  # type: ignore[union-attr]
        assert spec["function"]["parameters"]["required"] == ["timezone"]
        now = await box.call("get_current_time", '{"timezone": "Europe/Paris"}')
        assert now.ok and json.loads(now.text)["timezone"] == "Europe/Paris"
        assert (await box.call("calculate", '{"expression": "2**10 + 3"}')).text == "1027"
        # The Python reference server reports a bad timezone as an isError result; the model is told it.
        wrong = await box.call("get_current_time", '{"timezone": "Nowhere/Here"}')
        assert not wrong.ok and "Nowhere/Here" in wrong.text
    finally:
        await box.aclose()


async def test_every_mistake_becomes_a_message_for_the_model() -> None:
    box = await started(demo_server(), probe(timeout=1.0))
    try:
        cases = {
            ("nope", "{}"): "there is no tool named 'nope'",
            ("calculate", '{"expression": "1 +'): "not valid JSON",
            ("calculate", "[1, 2]"): "must be a JSON object",
            ("calculate", '{"expression": 7}'): "do not fit the tool's schema at expression",
            ("calculate", "{}"): "'expression' is a required property",
            ("calculate", '{"expression": "__import__(\'os\')"}'): "only numbers",
            ("fail", "{}"): "the probe failed on purpose",
            ("wait", '{"seconds": 3}'): "longer than 1 s and was cancelled",
        }
        for (name, arguments), said in cases.items():
            outcome = await box.call(name, arguments)
            assert not outcome.ok and said in outcome.text, (name, arguments, outcome)
            assert outcome.error and "\n" not in outcome.error
        assert (await box.call("calculate", '{"expression": "6*7"}')).text == "42", "and the loop goes on"
    finally:
        await box.aclose()


async def test_results_that_are_not_text_are_named_and_long_ones_cut() -> None:
    box = await started(probe())
    try:
        assert (await box.call("picture", "{}")).text == "[an image (image/png) was returned and left out]"
        big = (await box.call("big", '{"n": 250000}')).text
        assert len(big) < 100_200 and big.endswith("100,000 are kept]")
    finally:
        await box.aclose()


async def test_a_server_gets_a_minimal_environment_never_the_api_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-must-not-leak")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-must-not-leak")
    box = await started(probe(env={"ITS_OWN": "yes"}))
    try:
        seen = {name: (await box.call("env", json.dumps({"name": name}))).text
                for name in ("DEEPSEEK_API_KEY", "OPENAI_API_KEY", "ITS_OWN", "PATH", "HOME")}
        assert seen == {"DEEPSEEK_API_KEY": "unset", "OPENAI_API_KEY": "unset", "ITS_OWN": "set", "PATH": "set",
                        "HOME": "set" if "HOME" in os.environ else "unset"}
    finally:
        await box.aclose()


async def test_cancelling_a_call_cancels_it_and_the_server_serves_on() -> None:
    box = await started(probe())
    try:
        call = asyncio.create_task(box.call("wait", '{"seconds": 30}'))
        await asyncio.sleep(0.5)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(call, 5)
        assert (await box.call("env", '{"name": "X"}')).text == "unset"
    finally:
        await box.aclose()


async def test_a_server_that_dies_during_a_call_is_said_once_and_the_others_serve(tmp_path: Path) -> None:
    box = await started(probe(), demo_server(), log_dir=tmp_path)
    try:
        died = await box.call("crash", "{}")
        assert not died.ok and died.error is not None
        assert "the server probe ended during the call" in died.error and "crashing on purpose" in died.error
        after = await box.call("env", '{"name": "HOME"}')
        assert not after.ok and "probe is not running (it exited: probe: crashing on purpose)" in after.text
        assert box.servers["probe"].status == "failed"
        assert (await box.call("calculate", '{"expression": "6*7"}')).text == "42", "the other server serves on"
    finally:
        await asyncio.wait_for(box.aclose(), 15)


async def test_a_server_that_never_answers_fails_its_start_and_its_noise_stays_off_the_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    """A server that prints a banner on stdout (not MCP) and never answers: the SDK's parse error with its
    traceback goes to the log, not to the user's stderr; the start fails in one line at the start timeout
    and its process ends then, not when the app does. (A 3 s timeout: only for a server that never answers —
    a real one may take longer than that to start on a busy machine.)"""
    from reasonchat.tools import toolbox

    monkeypatch.setattr(toolbox, "START_TIMEOUT", 3.0)
    pids = tmp_path / "pid"
    script = (f"import os, sys, time; open({str(pids)!r}, 'w').write(str(os.getpid())); "
              "print('Welcome to my server!', flush=True); sys.stderr.write('listening on stdio\\n'); "
              "sys.stderr.flush(); time.sleep(120)")
    box = await started(ServerConfig("mute", command=sys.executable, args=("-c", script)), log_dir=tmp_path)
    try:
        mute = box.servers["mute"]
        assert mute.status == "failed" and mute.reason == \
            "did not start within 3 s (its last words: listening on stdio)"
        pid = [int(pids.read_text())]
        for _ in range(100):  # (the SDK gives a process it ends two seconds to go)
            if not alive(pid):
                break
            await asyncio.sleep(0.1)
        assert not alive(pid), "the server that did not start still runs while the app goes on"
    finally:
        await asyncio.wait_for(box.aclose(), 15)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Failed to parse" not in err, err


async def test_a_server_that_exits_at_once_says_why_in_one_line(tmp_path: Path) -> None:
    box = await started(ServerConfig("time", command=tool("mcp-server-time"), args=("--local-timezone", "Nope/X")),
                        log_dir=tmp_path)
    try:
        reason = box.servers["time"].reason
        assert box.servers["time"].status == "failed" and "Nope/X" in reason and "\n" not in reason
        assert box.offered == []
    finally:
        await box.aclose()


def test_names_are_unique_and_valid_for_every_provider() -> None:
    names = offered_names([("a", "search"), ("b", "search"), ("c", "read file"), ("d", "x" * 80), ("e", "ok")])
    assert names[:3] == ["a__search", "b__search", "read_file"]
    assert len(names[3]) == 64 and names[4] == "ok"
    assert all(valid(n) == n for n in names) and len(set(names)) == len(names)


def test_the_config_reads_servers_and_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[mcp.time]\ncommand = "mcp-server-time"\nargs = ["--local-timezone", "Asia/Shanghai"]\n'
                    'env = { TZ = "Asia/Shanghai" }\napprove = "auto"\nauto_approve = ["get_current_time"]\n'
                    'timeout = 5\n[mcp.web]\nurl = "http://127.0.0.1:3001/mcp"\nheaders = { A = "b" }\n'
                    'enabled = false\n[tools]\nmax_rounds = 3\n', encoding="utf-8")
    loaded = config.load(path).tools
    assert loaded.max_rounds == 3 and [s.name for s in loaded.enabled] == ["time"]
    time_server = loaded.servers["time"]
    assert (time_server.args, dict(time_server.env), time_server.timeout) == (
        ("--local-timezone", "Asia/Shanghai"), {"TZ": "Asia/Shanghai"}, 5.0)
    assert not time_server.asks("convert_time"), "approve = auto"
    path.write_text('[mcp.a]\ncommand = "x"\ntimout = 5\n[mcp.b]\nenabled = true\n[mcp.c]\ncommand = "x"\n'
                    'approve = "never"\n[tools]\nmax_rounds = 0\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    said = "\n".join(caught.value.problems)
    assert "config.toml:3: unknown key 'timout' in [mcp.a] — did you mean 'timeout'?" in said
    assert "[mcp.b] needs either command" in said
    assert 'mcp.c.approve must be "ask" or "auto"' in said
    assert "tools.max_rounds must be a whole number of at least 1" in said


def test_the_calculator_computes_arithmetic_and_nothing_else() -> None:
    assert calculate("12*(3+4)") == "84" and calculate("7/2") == "3.5" and calculate("2^10") == "1024"
    for bad in ("__import__('os').system('x')", "open('f')", "a + 1", "9**9**9", "1/0", "(1,2)", "[]"):
        with pytest.raises(ValueError):
            calculate(bad)


def test_the_demo_server_holds_clients_to_deepseeks_rule() -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "get_time", "arguments": "{}"}}
    kept = [{"role": "user", "content": "time?"},
            {"role": "assistant", "content": None, "reasoning_content": "", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "content": "noon"},
            {"role": "assistant", "content": "Noon.", "reasoning_content": "r"},
            {"role": "user", "content": "thanks"}]
    assert not tool_turns.dropped_reasoning(kept)
    for index in (1, 3):
        dropped = [dict(m) for m in kept]
        del dropped[index]["reasoning_content"]
        assert tool_turns.dropped_reasoning(dropped)
        refused = tool_turns.respond("demo", {"messages": dropped}, think=True)
        assert refused is not None and getattr(refused, "status", None) == 400
        assert tool_turns.respond("demo", {"messages": dropped}, think=False) is None, "only in thinking mode"


async def test_a_streamable_http_server_serves_as_a_stdio_one_does() -> None:
    import socket
    import subprocess

    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "reasonchat.demo.mcp_server", "--http", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):  # until it listens
            with socket.socket() as client, contextlib.suppress(OSError):
                client.connect(("127.0.0.1", port))
                break
            await asyncio.sleep(0.05)
        box = await started(ServerConfig("web", url=f"http://127.0.0.1:{port}/mcp", headers={"X-Test": "1"}))
        try:
            assert box.servers["web"].status == "started", box.servers["web"].reason
            assert (await box.call("calculate", '{"expression": "6*7"}')).text == "42"
            assert not (await box.call("get_time", '{"timezone": "Nowhere/Here"}')).ok
            process.terminate()  # the server goes away: a call fails in one line, it does not hang
            process.wait(10)
            gone = await asyncio.wait_for(box.call("calculate", '{"expression": "1+1"}'), 30)
            assert not gone.ok and gone.error and "\n" not in gone.error, gone
            # (how soon the SDK sees the server gone decides which of the two lines it is)
            assert gone.error in ("the server web ended during the call (it closed the connection)",) \
                or gone.error.startswith("the call failed: "), gone.error
        finally:
            await asyncio.wait_for(box.aclose(), 15)
        nobody = await started(ServerConfig("web", url=f"http://127.0.0.1:{port}/mcp"))
        try:
            assert nobody.servers["web"].reason.startswith(f"cannot reach http://127.0.0.1:{port}/mcp: ")
        finally:
            await nobody.aclose()
    finally:
        process.terminate()
        process.wait(10)
