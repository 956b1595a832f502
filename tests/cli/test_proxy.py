"""Proxies, through a real forward proxy process (proxy.py): the environment's variables as httpx reads them,
a preset's own `proxy`, NO_PROXY, and one clear line when the proxy is down or wants a password."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer
from tests.conftest import ForwardProxy, closed_port


def local_config(home: Path, server: DemoServer, extra: str = "", base_url: str = "") -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "lab"\n[presets.lab]\nbase_url = "{base_url or server.base_url}"\nmodel = "shape-deepseek"\n'
        f"max_retries = 0\n{extra}", encoding="utf-8")


def test_ask_and_models_go_through_the_environments_proxy(cli: Any, home: Path, server: DemoServer,
                                                          forward_proxy: ForwardProxy,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    local_config(home, server)
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.url)
    result = cli("ask", "--json", "hello through the proxy")
    assert result.code == 0, result.err
    assert result.json()["finish_reason"] == "stop"
    assert result.json()["content"]
    assert len(forward_proxy.requests("POST")) == 1
    assert "/v1/chat/completions" in forward_proxy.requests("POST")[0]
    assert cli("models").code == 0
    assert len(forward_proxy.requests("GET")) == 1


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "127.0.0.1,example.com", "*"])
def test_no_proxy_bypasses_it(cli: Any, home: Path, server: DemoServer, forward_proxy: ForwardProxy,
                              monkeypatch: pytest.MonkeyPatch, no_proxy: str) -> None:
    local_config(home, server)
    monkeypatch.setenv("http_proxy", forward_proxy.url)  # lower case, as many shells export it
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert cli("ask", "hello directly").code == 0
    assert forward_proxy.requests() == []
    assert len(server.chat_bodies()) == 1


def test_a_presets_proxy_key_overrides_the_environment(cli: Any, home: Path, server: DemoServer,
                                                       forward_proxy: ForwardProxy,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    local_config(home, server, f'proxy = "{forward_proxy.url}"\n'
                 f'[presets.direct]\nbase_url = "{server.base_url}"\nmodel = "shape-deepseek"\nproxy = ""\n')
    monkeypatch.setenv("HTTP_PROXY", dead)  # would fail every request that used it
    assert cli("ask", "via the preset's proxy").code == 0
    assert len(forward_proxy.requests("POST")) == 1
    direct = cli("ask", "--preset", "direct", "straight to the server")
    assert direct.code == 0, direct.err
    assert len(forward_proxy.requests("POST")) == 1
    assert len(server.chat_bodies()) == 2


def test_a_dead_proxy_is_named_with_its_variable(cli: Any, home: Path, server: DemoServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    local_config(home, server)
    dead = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("HTTP_PROXY", dead)
    result = cli("ask", "hello")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert f"cannot connect to the proxy {dead} (from HTTP_PROXY): connection refused" in result.err
    assert "add 127.0.0.1 to NO_PROXY to go direct" in result.err
    assert server.chat_bodies() == []


def test_a_dead_presets_proxy_says_how_to_go_direct(cli: Any, home: Path, server: DemoServer) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    local_config(home, server, f'proxy = "{dead}"\n')
    result = cli("ask", "hello")
    assert result.code == 1
    assert f"the proxy {dead} (from proxy of preset 'lab')" in result.err
    assert 'set it to "" to go direct' in result.err


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_proxy_that_wants_a_password_says_so_without_showing_one(cli: Any, home: Path, server: DemoServer,
                                                                   auth_proxy: ForwardProxy,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   scheme: str) -> None:
    """http:// is forwarded (the proxy answers 407 itself); https:// is tunnelled (CONNECT gets the 407)."""
    base_url = server.base_url.replace("http://", f"{scheme}://")
    local_config(home, server, base_url=base_url)
    variable = f"{scheme}_proxy".upper()
    wrong = auth_proxy.url.replace("http://", "http://user:hunter2@")
    for proxy, shown in ((auth_proxy.url, auth_proxy.url), (wrong, auth_proxy.url.replace("//", "//user:****@"))):
        monkeypatch.setenv(variable, proxy)
        result = cli("ask", "hello")
        assert result.code == 1
        assert f"the proxy {shown} (from {variable}) needs a user name and password (HTTP 407)" in result.err
        assert f"put them in {variable} as http://USER:PASSWORD@HOST:PORT" in result.err
        assert "hunter2" not in result.err


def test_a_proxy_with_the_right_password_works(cli: Any, home: Path, server: DemoServer,
                                               auth_proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch) -> None:
    local_config(home, server)
    monkeypatch.setenv("HTTP_PROXY", auth_proxy.url.replace("http://", "http://user:secret@"))
    result = cli("ask", "hello")
    assert result.code == 0, result.err
    assert len(auth_proxy.requests("POST")) == 1


@pytest.mark.may_skip  # whether the SOCKS extra is installed is the user's choice, not CI's
def test_socks_without_its_extra_is_one_line_naming_the_extra(cli: Any, home: Path, server: DemoServer,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("httpx2")
    try:
        import socksio  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("socksio is installed: SOCKS proxies work here")
    local_config(home, server)
    monkeypatch.setenv("ALL_PROXY", "socks5://user:pw@127.0.0.1:1080")
    result = cli("ask", "hello")
    assert result.code == 2
    assert result.err == ("reasonchat: the proxy socks5://user:****@127.0.0.1:1080 (from ALL_PROXY) is a SOCKS proxy,"
                          " which needs an optional extra — pip install 'reasonchat[socks]'\n")


def test_a_bad_proxy_url_in_the_config_is_a_config_error(cli: Any, home: Path, server: DemoServer) -> None:
    local_config(home, server, 'proxy = "ftp://user:pw@proxy:21"\n')
    result = cli("ask", "hello")
    assert result.code == 2
    assert "presets.lab.proxy must be an http://, https:// or socks5:// URL" in result.err
    assert "pw" not in result.err.replace("proxy", "")
