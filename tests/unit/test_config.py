"""Config loading: merging over built-ins, every validation message, key resolution."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from reasonchat import config
from reasonchat.errors import ConfigError, UsageError
from reasonchat.providers import ProviderOptions, resolve, resolve_key


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_missing_file_gives_builtins(tmp_path: Path) -> None:
    cfg = config.load(tmp_path / "absent.toml")
    assert cfg.path is None
    assert cfg.default_preset == "deepseek"
    assert set(cfg.presets) == {"deepseek", "siliconflow", "bailian", "qianfan", "volcano", "vllm", "demo"}


def test_override_merges_over_builtin(tmp_path: Path) -> None:
    cfg = config.load(write(tmp_path, """
default_preset = "volcano"
[presets.volcano]
model = "ep-123"
extra_body = { top_p = 0.5 }
[presets.mylab]
base_url = "http://gpu:8000/v1"
model = "Qwen/Qwen3-32B"
think_off = { chat_template_kwargs = { enable_thinking = false } }
timeout = 5
"""))
    volcano = cfg.preset("volcano")
    assert volcano.model == "ep-123"
    assert volcano.api_key_env == "ARK_API_KEY"
    assert volcano.think_on == {"thinking": {"type": "enabled"}}
    assert volcano.source == "config"
    assert volcano.extra_body == {"top_p": 0.5}
    mylab = cfg.preset("mylab")
    assert mylab.timeout == 5.0
    assert mylab.think_off == {"chat_template_kwargs": {"enable_thinking": False}}
    assert cfg.default_preset == "volcano"


def test_own_key_source_replaces_builtin(tmp_path: Path) -> None:
    cfg = config.load(write(tmp_path, '[presets.deepseek]\napi_key_cmd = "echo k"\n'))
    assert cfg.preset("deepseek").api_key_env == ""
    assert cfg.preset("deepseek").api_key_cmd == "echo k"


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    message = error_of(tmp_path, 'default_preset = "deepseek"\n[ui]\nreasoning = \n')
    assert message.startswith(f"{tmp_path / 'config.toml'}:3:")
    assert "invalid TOML" in message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    message = error_of(tmp_path, 'defualt_preset = "deepseek"\n')
    assert ":1:" in message
    assert "unknown key 'defualt_preset'" in message
    assert "did you mean 'default_preset'" in message


def test_unknown_preset_key_with_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[presets.deepseek]\nmodel = "x"\nmodle = "y"\n')
    assert ":3:" in message
    assert "unknown key 'modle' in [presets.deepseek]" in message
    assert "did you mean 'model'" in message


def test_unknown_ui_key(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[ui]\nreasonin = "auto"\n')
    assert ":2:" in message
    assert "did you mean 'reasoning'" in message


def test_wrong_type_names_expected_and_given(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[presets.deepseek]\ntimeout = "fast"\n')
    assert ":2:" in message
    assert "presets.deepseek.timeout must be a number of seconds, not a string" in message
    message = error_of(tmp_path, '[presets.deepseek]\nsend_reasoning = 1\n')
    assert "must be true or false, not an integer" in message
    message = error_of(tmp_path, '[presets.deepseek]\nmodels = ["a", 2]\n')
    assert "must be a list of strings" in message
    message = error_of(tmp_path, '[presets.deepseek]\nheaders = { x = 1 }\n')
    assert "must be a table of strings" in message
    message = error_of(tmp_path, '[presets.deepseek]\nmax_tokens = true\n')
    assert "must be a whole number, not a boolean" in message
    for windows in ('{ m = "big" }', "{ m = 0 }", "{ m = true }", "131072"):
        message = error_of(tmp_path, f'[presets.deepseek]\ncontext_windows = {windows}\n')
        assert "presets.deepseek.context_windows must be a table of models and their windows in tokens" in message


def test_out_of_range_numbers(tmp_path: Path) -> None:
    assert "greater than 0" in error_of(tmp_path, "[presets.deepseek]\ntimeout = 0\n")
    assert "0 or more" in error_of(tmp_path, "[presets.deepseek]\nmax_retries = -1\n")


def test_base_url_must_be_http(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[presets.deepseek]\nbase_url = "api.deepseek.com"\n')
    assert ":2:" in message
    assert "must be an http:// or https:// URL" in message
    cfg = config.load(tmp_path / "none.toml")
    with pytest.raises(UsageError, match="--base-url must be an http"):
        resolve(cfg, ProviderOptions(base_url="localhost:8000"))


def test_unknown_default_preset(tmp_path: Path) -> None:
    message = error_of(tmp_path, 'default_preset = "deepseak"\n')
    assert ":1:" in message
    assert "did you mean 'deepseek'" in message


def test_new_preset_needs_base_url(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[presets.mine]\nmodel = "m"\n')
    assert ":1:" in message
    assert "needs base_url" in message


def test_bad_ui_value_and_shapes(tmp_path: Path) -> None:
    assert "must be one of auto, expanded, collapsed, hidden" in error_of(tmp_path, '[ui]\nreasoning = "always"\n')
    assert "ui must be a table" in error_of(tmp_path, 'ui = 3\n')
    assert "presets.x must be a table" in error_of(tmp_path, '[presets]\nx = 3\n')
    assert "default_preset must be a string" in error_of(tmp_path, "default_preset = 1\n")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"model = '\xff'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        config.load(path)


def test_unknown_preset_on_command_line(tmp_path: Path) -> None:
    cfg = config.load(tmp_path / "none.toml")
    with pytest.raises(ConfigError, match="did you mean 'bailian'"):
        cfg.preset("bailan")


# -- keys ------------------------------------------------------------------------------------------------------


def preset_from(tmp_path: Path, body: str) -> config.Preset:
    return config.load(write(tmp_path, "[presets.p]\nbase_url = 'http://127.0.0.1:9/v1'\n" + body)).preset("p")


def test_key_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_KEY", "sk-from-env")
    assert resolve_key(preset_from(tmp_path, 'api_key_env = "MY_KEY"\n')) == ("sk-from-env", "MY_KEY")


def test_missing_env_key_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MY_KEY", raising=False)
    with pytest.raises(ConfigError, match="preset 'p' needs an API key: set MY_KEY"):
        resolve_key(preset_from(tmp_path, 'api_key_env = "MY_KEY"\n'))


def script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "keycmd.py"
    path.write_text(body, encoding="utf-8")
    return f"{sys.executable} {path}"


def test_key_from_command(tmp_path: Path) -> None:
    command = script(tmp_path, "print('sk-from-cmd')")
    preset = preset_from(tmp_path, f"api_key_cmd = '{command}'\n")
    assert resolve_key(preset) == ("sk-from-cmd", "api_key_cmd")


def test_failing_command_does_not_echo_its_output(tmp_path: Path) -> None:
    command = script(tmp_path, "import sys\nprint('sk-leaked-secret')\nsys.exit(3)")
    with pytest.raises(ConfigError) as caught:
        resolve_key(preset_from(tmp_path, f"api_key_cmd = '{command}'\n"))
    assert "exit code 3" in str(caught.value)
    assert "sk-leaked" not in str(caught.value)
    with pytest.raises(ConfigError, match="printed nothing"):
        resolve_key(preset_from(tmp_path, "api_key_cmd = 'true'\n"))


def test_plaintext_key_and_warning_when_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "[presets.p]\nbase_url = 'http://127.0.0.1:9/v1'\napi_key = 'sk-plain'\n")
    assert config.load(path).plaintext_key_readable is False
    os.chmod(path, 0o644)
    cfg = config.load(path)
    assert cfg.plaintext_key_readable is True
    provider = resolve(cfg, ProviderOptions(preset="p"))
    assert provider.api_key == "sk-plain"
    err = capsys.readouterr().err
    assert "plaintext api_key" in err
    assert "chmod 600" in err
    assert "sk-plain" not in err


def test_adhoc_provider_key_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = config.load(tmp_path / "none.toml")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    provider = resolve(cfg, ProviderOptions(base_url="http://127.0.0.1:9/v1", model="m"))
    assert provider.api_key == "EMPTY"
    assert provider.name == "ad-hoc"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    assert resolve(cfg, ProviderOptions(base_url="http://127.0.0.1:9/v1")).api_key == "sk-openai"
    monkeypatch.setenv("OTHER", "sk-other")
    assert resolve(cfg, ProviderOptions(base_url="http://x/v1", api_key_env="OTHER")).api_key == "sk-other"
    with pytest.raises(ConfigError, match="set UNSET_VAR"):
        resolve(cfg, ProviderOptions(base_url="http://x/v1", api_key_env="UNSET_VAR"))


def test_vllm_uses_placeholder_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VLLM_API_KEY", raising=False)
    provider = resolve(config.load(tmp_path / "none.toml"), ProviderOptions(preset="vllm"))
    assert provider.api_key == "EMPTY"
    assert provider.model == ""


def test_example_config_is_valid_and_its_examples_are_inactive(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "config.example.toml"
    documented = example.read_text(encoding="utf-8")
    as_written = config.load(write(tmp_path, documented))
    assert set(as_written.presets) == set(config.load(tmp_path / "none.toml").presets)  # nothing new is active
    assert as_written.presets["deepseek"].model == "deepseek-v4-flash"
    uncommented = re.sub(r"(?m)^#(?=[\[a-z])", "", documented)  # "#key = …" lines are the examples
    cfg = config.load(write(tmp_path, uncommented))
    assert cfg.presets["mylab"].proxy == ""
    assert cfg.presets["deepseek"].model == "deepseek-v4-pro"
    for key in config._PRESET_KEYS:
        assert f"#   {key}" in documented, f"config.example.toml does not document {key}"
