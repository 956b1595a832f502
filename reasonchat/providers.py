"""From a preset (plus command-line overrides) to a `Provider` the engine can call.

This is where API keys are looked up — the environment, an `api_key_cmd`, or a plaintext `api_key` — and
the only place that knows which one. Keys are held in memory only; messages name the variable or the
command, never the value.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from dataclasses import dataclass, replace

from reasonchat.config import Config, Preset
from reasonchat.core.provider import Provider
from reasonchat.errors import ConfigError, MissingKey, UsageError
from reasonchat.presets import DEMO_BASE_URL


@dataclass(frozen=True)
class ProviderOptions:
    """The PROVIDER OPTIONS of the command line."""

    preset: str | None = None
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    demo: bool = False


MAX_COMPARED = 3  # columns of a compare


def compare_specs(text: str) -> list[ProviderOptions]:
    """`--compare deepseek,bailian:qwen-plus` -> the providers to compare (a preset, and a model if given)."""
    specs = [part.strip() for part in text.split(",") if part.strip()]
    if not 2 <= len(specs) <= MAX_COMPARED:
        raise UsageError(f"--compare takes 2 or {MAX_COMPARED} presets separated by commas, like "
                         f"deepseek,bailian:qwen-plus — not {len(specs)}")
    out = []
    for spec in specs:
        preset, _, model = spec.partition(":")
        if not preset:
            raise UsageError(f"--compare: '{spec}' names no preset (PRESET or PRESET:MODEL)")
        out.append(ProviderOptions(preset=preset, model=model or None))
    return out


def resolve_key(preset: Preset, config_path: str = "config.toml") -> tuple[str, str]:
    """(key, hint) for `preset`; a ConfigError naming what to set when there is none."""
    if preset.api_key_env and os.environ.get(preset.api_key_env, "").strip():
        return os.environ[preset.api_key_env].strip(), preset.api_key_env
    if preset.api_key_cmd:
        return _run_key_command(preset), "api_key_cmd"
    if preset.api_key:
        return preset.api_key, preset.key_source()[0]
    if preset.api_key_env:
        raise MissingKey(f"preset '{preset.name}' needs an API key: set {preset.api_key_env} (or api_key_cmd in "
                         f"{config_path})")
    # A preset with no key source at all is a server without auth (a local vLLM, SGLang, llama.cpp): send
    # the placeholder such servers accept; a 401 then says to set api_key_env.
    return "EMPTY", f"no key configured: set api_key_env in {config_path}"


_key_locks: dict[tuple[str, str], threading.Lock] = {}
_keys: dict[tuple[str, str], str] = {}  # what each preset's api_key_cmd printed: in memory, for this process
_keys_lock = threading.Lock()


def _run_key_command(preset: Preset) -> str:
    """`api_key_cmd`'s key, run once per preset and command in this process (a password manager may ask
    for a passphrase: two prompts must never appear, so callers on other threads wait for the first)."""
    which = (preset.name, preset.api_key_cmd)
    with _keys_lock:
        lock = _key_locks.setdefault(which, threading.Lock())
    with lock:
        if which not in _keys:
            _keys[which] = _key_from_command(preset)
        return _keys[which]


def _key_from_command(preset: Preset) -> str:
    """Run `api_key_cmd` (a password manager, a keyring); its output is never echoed, even on failure."""
    import subprocess  # only a preset with a key command runs one

    try:
        done = subprocess.run(preset.api_key_cmd, shell=True, capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ConfigError(f"api_key_cmd of preset '{preset.name}' took longer than 30 s") from None
    except OSError as exc:
        raise ConfigError(f"api_key_cmd of preset '{preset.name}' could not run: {exc.strerror}") from None
    if done.returncode != 0:
        raise ConfigError(
            f"api_key_cmd of preset '{preset.name}' failed with exit code {done.returncode} — "
            "run it in a shell to see why"
        )
    key = done.stdout.strip()
    if not key:
        raise ConfigError(f"api_key_cmd of preset '{preset.name}' printed nothing")
    return key


def choose_preset(config: Config, options: ProviderOptions) -> Preset:
    """The preset a run uses: `--demo`, `--preset`, an ad-hoc `--base-url`, else `default_preset`."""
    if options.demo:
        preset = config.preset("demo")
    elif options.preset:
        preset = config.preset(options.preset)
    elif options.base_url:
        # An ad-hoc provider: the key from --api-key-env, else OPENAI_API_KEY, else vLLM's placeholder.
        env = "OPENAI_API_KEY" if os.environ.get("OPENAI_API_KEY") else ""
        preset = Preset(name="ad-hoc", base_url=options.base_url, api_key_env=env, api_key="EMPTY",
                        source="command line")
    else:
        preset = config.preset(config.default_preset)
    if options.base_url:
        if not re.match(r"https?://[^/\s]+", options.base_url):
            raise UsageError(f"--base-url must be an http:// or https:// URL, not '{options.base_url}'")
        preset = replace(preset, base_url=options.base_url)
    if options.api_key_env:
        preset = replace(preset, api_key_env=options.api_key_env, api_key_cmd="", api_key="")
    if options.model:
        preset = replace(preset, model=options.model)
    return preset


def resolve(config: Config, options: ProviderOptions) -> Provider:
    """A ready `Provider`; starts the in-process demo server if the demo preset is used."""
    preset = choose_preset(config, options)
    config_path = config.path or "config.toml"
    if config.plaintext_key_readable:
        warn_once(
            f"{config.path} holds a plaintext api_key and others can read it — "
            f"run `chmod 600 {config.path}` or use api_key_env"
        )
    key, hint = resolve_key(preset, config_path)
    base_url = preset.base_url
    if base_url == DEMO_BASE_URL:
        from reasonchat.demo.server import shared_demo_server

        base_url = shared_demo_server().base_url
    return Provider(
        name=preset.name,
        base_url=base_url,
        model=preset.model,
        api_key=key,
        key_hint=hint,
        headers=dict(preset.headers),
        extra_body=dict(preset.extra_body),
        think_on=dict(preset.think_on),
        think_off=dict(preset.think_off),
        send_reasoning=preset.send_reasoning,
        tools=preset.tools,
        tool_reasoning=preset.tool_reasoning,
        vision=preset.vision,
        vision_models=preset.vision_models,
        context_window=preset.context_window,
        context_windows=dict(preset.context_windows),
        schema_mode=preset.schema_mode,
        timeout=preset.timeout,
        max_retries=preset.max_retries,
        max_tokens=preset.max_tokens,
        temperature=preset.temperature,
        proxy=preset.proxy,
        effort=preset.effort or None,
        budget=preset.budget,
        effort_map=preset.effort_map,
        budget_key=preset.budget_key,
        price=preset.price,
    )


_warned: set[str] = set()


def warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"reasonchat: warning: {message}", file=sys.stderr)
