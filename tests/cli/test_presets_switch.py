"""Each built-in preset, pointed at the demo server, sends what its provider expects (PROVIDERS.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from reasonchat.demo.server import DemoServer
from reasonchat.presets import BUILTIN

EXPECTED: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    # preset: (key variable, request path, body fields with --think, with --no-think)
    "deepseek": ("DEEPSEEK_API_KEY", "/chat/completions",
                 {"thinking": {"type": "enabled"}}, {"thinking": {"type": "disabled"}}),
    "siliconflow": ("SILICONFLOW_API_KEY", "/v1/chat/completions",
                    {"enable_thinking": True}, {"enable_thinking": False}),
    "bailian": ("DASHSCOPE_API_KEY", "/compatible-mode/v1/chat/completions",
                {"enable_thinking": True}, {"enable_thinking": False}),
    "qianfan": ("QIANFAN_API_KEY", "/v2/chat/completions",
                {"thinking": {"type": "enabled"}}, {"thinking": {"type": "disabled"}}),
    "volcano": ("ARK_API_KEY", "/api/v3/chat/completions",
                {"thinking": {"type": "enabled"}}, {"thinking": {"type": "disabled"}}),
    "vllm": ("VLLM_API_KEY", "/v1/chat/completions",
             {"chat_template_kwargs": {"enable_thinking": True}},
             {"chat_template_kwargs": {"enable_thinking": False}}),
}
SWITCH_KEYS = {"thinking", "enable_thinking", "chat_template_kwargs"}


def point_at(home: Path, server: DemoServer, name: str) -> None:
    path = urlsplit(BUILTIN[name]["base_url"]).path
    port = urlsplit(server.base_url).port
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[presets.{name}]\nbase_url = "http://127.0.0.1:{port}{path}"\n',
                                      encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("flag", ["--think", "--no-think", None])
def test_switch_reaches_the_body(cli: Any, server: DemoServer, home: Path, monkeypatch: pytest.MonkeyPatch,
                                 name: str, flag: str | None) -> None:
    variable, path, on, off = EXPECTED[name]
    monkeypatch.setenv(variable, f"sk-{name}-secret")
    point_at(home, server, name)
    result = cli("ask", "--json", "--preset", name, *([flag] if flag else []), "hello")
    assert result.code == 0, result.err
    chat = [r for r in server.requests if r.method == "POST"]
    assert len(chat) == 1
    assert chat[0].path == path
    assert chat[0].headers["authorization"] == f"Bearer sk-{name}-secret"
    body = chat[0].body
    expected_model = BUILTIN[name]["model"] or "demo"  # vllm: the first id GET /models lists
    assert body["model"] == expected_model
    switch = {k: v for k, v in body.items() if k in SWITCH_KEYS}
    assert switch == (on if flag == "--think" else off if flag == "--no-think" else {})
    assert body["stream_options"] == {"include_usage": True}
    assert result.json()["preset"] == name


def test_vllm_asks_models_first_and_uses_placeholder_key(cli: Any, server: DemoServer, home: Path) -> None:
    point_at(home, server, "vllm")
    assert cli("ask", "--preset", "vllm", "hello").code == 0
    assert [r.method + " " + r.path for r in server.requests] == ["GET /v1/models", "POST /v1/chat/completions"]
    assert server.requests[1].headers["authorization"] == "Bearer EMPTY"


def test_extra_body_merges_with_switch(cli: Any, server: DemoServer, home: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-x")
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[presets.deepseek]\nbase_url = "{server.base_url}"\nextra_body = {{ reasoning_effort = "high" }}\n'
        'max_tokens = 64\ntemperature = 0.3\nheaders = { "X-Team" = "blue" }\n', encoding="utf-8")
    assert cli("ask", "--think", "--preset", "deepseek", "hello").code == 0
    request = server.requests[0]
    assert request.body["reasoning_effort"] == "high"
    assert request.body["thinking"] == {"type": "enabled"}
    assert request.body["max_tokens"] == 64
    assert request.body["temperature"] == 0.3
    assert request.headers["x-team"] == "blue"


def test_missing_key_is_one_line_exit_2(cli: Any) -> None:
    result = cli("ask", "--preset", "bailian", "hello")
    assert result.code == 2
    assert result.err == ("reasonchat: preset 'bailian' needs an API key: set DASHSCOPE_API_KEY "
                          "(or api_key_cmd in config.toml), or try --demo\n")


def test_model_flag_overrides(cli: Any, server: DemoServer, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARK_API_KEY", "k")
    point_at(home, server, "volcano")
    assert cli("ask", "--preset", "volcano", "--model", "ep-2025", "hi").code == 0
    assert server.requests[0].body["model"] == "ep-2025"


def test_presets_and_models_commands(cli: Any, server: DemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-never-shown")
    listing = cli("presets", "--json")
    rows = {row["name"]: row for row in listing.json()}
    assert rows["deepseek"]["key_present"] is True
    assert rows["bailian"]["key_present"] is False
    assert rows["deepseek"]["key"] == "DEEPSEEK_API_KEY"
    assert rows["deepseek"]["default"] is True
    assert "sk-never-shown" not in listing.out + cli("presets").out
    models = cli("models", "--base-url", server.base_url)
    assert models.code == 0
    assert models.out.splitlines()[0] == "demo"
    assert "shape-volcano" in models.out
