"""Every provider wire shape, replayed by the demo server over HTTP, gives the same reasoning and answer."""

from __future__ import annotations

from typing import Any

import pytest

from reasonchat.demo import scenarios as demo_scenarios
from reasonchat.demo.server import DemoServer

PROMPT = "Explain CRDTs in one paragraph"
SHAPES = ["deepseek", "qianfan", "siliconflow", "bailian", "volcano", "vllm", "vllm-old", "ollama", "openrouter",
          "think-tags", "think-close"]


@pytest.mark.parametrize("shape", SHAPES)
def test_shape_through_ask_json(cli: Any, server: DemoServer, shape: str) -> None:
    result = cli("ask", "--json", "--base-url", server.base_url, "--model", f"shape-{shape}", PROMPT)
    assert result.code == 0, result.err
    record = result.json()
    reasoning, answer = demo_scenarios.friendly(PROMPT, 1)
    assert record["reasoning"] == reasoning
    assert record["content"] == answer
    assert record["finish_reason"] == "stop"
    assert record["interrupted"] is False
    assert record["error"] is None
    tokens = len(demo_scenarios.tokens(reasoning)) + len(demo_scenarios.tokens(answer))
    assert record["usage"]["completion_tokens"] == tokens
    assert record["usage"]["completion_tokens_details"]["reasoning_tokens"] == len(demo_scenarios.tokens(reasoning))
    assert record["model"] == f"shape-{shape}"
    assert record["preset"] == "ad-hoc"
    assert record["reasoning_seconds"] is not None
    assert record["conversation_id"] == 1
    body = server.chat_bodies()[-1]
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


def test_plain_model_without_reasoning(cli: Any, server: DemoServer) -> None:
    record = cli("ask", "--json", "--base-url", server.base_url, "--model", "shape-plain", PROMPT).json()
    assert record["reasoning"] == ""
    assert record["reasoning_seconds"] is None
    assert record["content"] == demo_scenarios.friendly(PROMPT, 1)[1]


def test_text_mode_splits_stdout_and_stderr(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--base-url", server.base_url, "--model", "shape-volcano", PROMPT)
    reasoning, answer = demo_scenarios.friendly(PROMPT, 1)
    assert result.out == answer + "\n"
    assert reasoning in result.err
    assert answer not in result.err
    assert "\x1b" not in result.out + result.err  # not a terminal: nothing of ours is coloured


def test_hide_reasoning(cli: Any, server: DemoServer) -> None:
    result = cli("ask", "--hide-reasoning", "--base-url", server.base_url, "--model", "shape-deepseek", PROMPT)
    assert result.code == 0
    assert result.err == ""
    assert "CRDTs" in result.out


def test_non_streaming_server(cli: Any) -> None:
    """A server that ignores `stream: true` and answers with one JSON completion still works."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            plan = demo_scenarios.Plan("m", ["because"], ["fine"])
            body = json.dumps(plan.completion()).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        record = cli("ask", "--json", "--base-url", f"http://127.0.0.1:{httpd.server_address[1]}/v1",
                     "--model", "m", "hi").json()
    finally:
        httpd.shutdown()
    assert (record["reasoning"], record["content"], record["finish_reason"]) == ("because", "fine", "stop")


def test_demo_preset_honours_the_thinking_switch(cli: Any) -> None:
    on = cli("ask", "--json", "--demo", "--model", "demo@0", "--think", "hi").json()
    off = cli("ask", "--json", "--demo", "--model", "demo@0", "--no-think", "hi").json()
    assert on["reasoning"]
    assert off["reasoning"] == ""
    assert off["content"] == on["content"]


def test_render_prints_the_answer_as_markdown(cli: Any) -> None:
    raw = cli("ask", "--demo", "--model", "shape-deepseek@0", "--hide-reasoning", "code please")
    rendered = cli("ask", "--demo", "--model", "shape-deepseek@0", "--hide-reasoning", "--render", "code please")
    assert rendered.code == 0
    assert "```python" in raw.out  # as the model wrote it
    assert "```" not in rendered.out  # rendered: the fence is drawn, not printed
    assert "def greet(name: str) -> str:" in rendered.out
    assert "| option" not in rendered.out  # the table is drawn too
    assert "option" in rendered.out


def test_a_prompt_with_carriage_returns_is_sent_with_plain_newlines(cli: Any) -> None:
    result = cli("ask", "--demo", "--model", "shape-deepseek@0", "--json", "one\r\ntwo\rthree")  # (stdin would
    assert result.code == 0                                                          # be translated by Python)
    assert cli("export", "last", "--format", "json").json()["messages"][0]["content"] == "one\ntwo\nthree"
