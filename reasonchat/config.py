"""Load, validate and merge config.toml with the built-in presets.

A bad file never gives a traceback: every problem is one `ConfigError` line naming the file and line,
the key, what was expected, and the closest valid name when a name is misspelt.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonchat import paths
from reasonchat.core.merge import deep_merge
from reasonchat.errors import ConfigError
from reasonchat.presets import BUILTIN, DEMO_BASE_URL
from reasonchat.tools.settings import SERVER_KEYS, ServerConfig, ToolsConfig, check_server, check_tools

REASONING_MODES = ("auto", "expanded", "collapsed", "hidden")
MATH_MODES = ("unicode", "source")  # LaTeX drawn as Unicode, or shown as the model wrote it
# Textual's own themes, for `[ui] theme` (tests/unit/test_config.py holds this to textual.theme.BUILTIN_THEMES).
THEMES = ("textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula", "tokyo-night", "monokai",
          "flexoki", "catppuccin-latte", "catppuccin-frappe", "catppuccin-macchiato", "solarized-light",
          "solarized-dark", "rose-pine", "rose-pine-moon", "rose-pine-dawn", "atom-one-dark", "atom-one-light",
          "ansi-dark", "ansi-light")
KEY_FIELDS = ("api_key_env", "api_key_cmd", "api_key")


@dataclass(frozen=True)
class Preset:
    name: str
    base_url: str
    model: str = ""
    models: tuple[str, ...] = ()
    api_key_env: str = ""
    api_key_cmd: str = ""
    api_key: str = field(default="", repr=False)
    think_on: Mapping[str, Any] = field(default_factory=dict)
    think_off: Mapping[str, Any] = field(default_factory=dict)
    extra_body: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    send_reasoning: bool = False
    tools: bool = True  # false: the model takes no tools, and is never offered them
    tool_reasoning: bool = False  # a tool-calling turn carries its reasoning back (DeepSeek's thinking mode)
    vision: bool = False  # every model of the preset takes images
    vision_models: tuple[str, ...] = ()  # the models that do (built-in presets list theirs)
    context_window: int | None = None  # tokens; None: as the server says (vLLM's max_model_len), else unknown
    context_windows: Mapping[str, int] = field(default_factory=dict)  # model -> tokens (built-ins list theirs)
    schema_mode: str = "json_schema"  # how `ask --schema` asks: json_schema, or json_object (core/schema.py)
    timeout: float = 90.0
    max_retries: int = 2
    max_tokens: int | None = None
    temperature: float | None = None
    description: str = ""
    proxy: str | None = None  # None: the environment's (HTTPS_PROXY …); "": direct; else this proxy URL
    effort: str = ""  # off | low | medium | high | max; "": the provider's default
    budget: int | None = None  # reasoning tokens, where the provider takes a number (budget_key)
    effort_map: Mapping[str, Mapping[str, Any]] | None = None  # level -> body fragment (core/effort.py)
    budget_key: str = ""  # the body field a budget goes in; "": the provider takes none
    price: Mapping[str, Any] | None = None  # core/cost.py: input, input_cached, output, currency, per, models
    source: str = "built-in"

    def key_source(self) -> tuple[str, bool]:
        """(where the key comes from, whether it is there) — without running `api_key_cmd`."""
        if self.api_key_env and os.environ.get(self.api_key_env):
            return self.api_key_env, True
        if self.api_key_cmd:
            return "api_key_cmd", True
        if self.api_key:
            return "api_key (config)" if self.source == "config" else "built-in placeholder", True
        return self.api_key_env or "none (no auth)", not self.api_key_env


@dataclass(frozen=True)
class UiConfig:
    reasoning: str = "auto"
    export_dir: str = ""  # where ctrl+e writes; "": paths.exports_dir() (Documents/reasonchat)
    theme: str = ""  # a Textual theme name ("nord", "textual-light" …); "": the one last chosen, else Textual's
    math: str = "unicode"  # one of MATH_MODES (reasonchat/text/math.py)
    attach_limit_mb: float = 10.0  # the largest file `ask -a` / `@path` attaches


@dataclass(frozen=True)
class Role:
    """A system prompt with a name (`[roles.NAME]`), and optionally the preset, effort and temperature it is
    best used with."""

    name: str
    system: str
    preset: str = ""
    effort: str = ""
    temperature: float | None = None


@dataclass(frozen=True)
class Config:
    default_preset: str = "deepseek"
    ui: UiConfig = field(default_factory=UiConfig)
    presets: Mapping[str, Preset] = field(default_factory=dict)
    roles: Mapping[str, Role] = field(default_factory=dict)
    keys: Mapping[str, str] = field(default_factory=dict)  # [keys]: action name -> key(s) (reasonchat/keys.py)
    tools: ToolsConfig = field(default_factory=ToolsConfig)  # [mcp.NAME] servers and [tools]
    path: str | None = None  # the file read, if it existed
    plaintext_key_readable: bool = False  # a plaintext api_key sits in a file others can read

    def preset(self, name: str) -> Preset:
        if name not in self.presets:
            raise ConfigError(
                f"unknown preset {_q(name)}{_did_you_mean(name, self.presets)} (see `reasonchat presets`)"
            )
        return self.presets[name]

    def role(self, name: str) -> Role:
        if name not in self.roles:
            known = (f" (roles: {', '.join(self.roles)})" if self.roles
                     else " — define it as [roles.NAME] in the config")
            raise ConfigError(f"unknown role {_q(name)}{_did_you_mean(name, self.roles)}{known}")
        return self.roles[name]


# -- the schema ----------------------------------------------------------------------------------------------

# key -> (accepted python types, how to name the expectation)
_STR = ((str,), "a string")
_PRESET_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "base_url": _STR,
    "model": _STR,
    "models": ((list,), "a list of strings"),
    "api_key_env": _STR,
    "api_key_cmd": _STR,
    "api_key": _STR,
    "think_on": ((dict,), "a table"),
    "think_off": ((dict,), "a table"),
    "extra_body": ((dict,), "a table"),
    "headers": ((dict,), "a table of strings"),
    "send_reasoning": ((bool,), "true or false"),
    "tools": ((bool,), "true or false"),
    "tool_reasoning": ((bool,), "true or false"),
    "vision": ((bool,), "true or false"),
    "vision_models": ((list,), "a list of strings"),
    "context_window": ((int,), "a whole number of tokens"),
    "context_windows": ((dict,), "a table of models and their windows in tokens, like { \"m\" = 131072 }"),
    "schema_mode": _STR,
    "timeout": ((int, float), "a number of seconds"),
    "max_retries": ((int,), "a whole number"),
    "max_tokens": ((int,), "a whole number"),
    "temperature": ((int, float), "a number"),
    "description": _STR,
    "proxy": _STR,
    "effort": _STR,
    "budget": ((int,), "a whole number of tokens"),
    "effort_map": ((dict,), "a table of tables, one per effort level"),
    "budget_key": _STR,
    "price": ((dict,), "a table like { input = 2, output = 8, currency = \"CNY\" }"),
}
_ROLE_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "system": _STR, "preset": _STR, "effort": _STR, "temperature": ((int, float), "a number"),
}
_UI_KEYS: dict[str, tuple[tuple[type, ...], str]] = {"reasoning": _STR, "export_dir": _STR, "theme": _STR,
                                                     "math": _STR,
                                                     "attach_limit_mb": ((int, float), "a number of megabytes")}
_TOP_KEYS = ("default_preset", "ui", "presets", "roles", "keys", "mcp", "tools")


def _type_name(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
             dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _q(text: str) -> str:
    """A user's key or value inside a message: quoted, with newlines and controls shown escaped."""
    return "'" + _escaped(text) + "'"


def _escaped(text: str) -> str:
    """`text` with newlines and controls escaped (JSON's rules)."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return text
    import json

    return json.dumps(text, ensure_ascii=False)[1:-1]


def _did_you_mean(name: str, choices: Any) -> str:
    import difflib  # only a mistake needs it

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""


class _Source:
    """The file's text, to point an error at the line a key is on (a TOML parser gives no positions of keys)."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def where(self, table: str, key: str | None = None) -> str:
        line = self._line(table, key)
        return f"{self.path}:{line}" if line else str(self.path)

    def _line(self, table: str, key: str | None) -> int | None:
        current = ""
        header = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+")
        table_line = None
        for number, text in enumerate(self.lines, start=1):
            match = header.match(text)
            if match:
                current = re.sub(r"\s*\.\s*", ".", match.group(1)).replace('"', "")
                if key is None and current == table:
                    return number
                table_line = number if current == table else table_line
                continue
            if key is None:
                continue
            pattern = rf'^\s*("?){re.escape(key)}\1\s*='
            dotted = rf'^\s*{re.escape(table.rsplit(".", 1)[-1])}\s*\.\s*{re.escape(key)}\s*='
            if (current == table and re.match(pattern, text)) or (table and re.match(dotted, text)):
                return number
            if table.startswith("presets.") and current == "presets":
                name = table.split(".", 1)[1]
                if re.match(rf'^\s*"?{re.escape(name)}"?\s*=.*\b{re.escape(key)}\s*=', text):
                    return number
        return table_line


# -- loading --------------------------------------------------------------------------------------------------


def load(path: str | os.PathLike[str] | None = None, *, required: bool = False) -> Config:
    """Read `path` (default: the config file of this installation) merged over the built-in presets.

    A missing default file is no config at all; a file the user named (`--config PATH`, `required`) must
    exist. Every problem in the file is found: the ConfigError carries them all in `problems` (for
    `config check`), and its own text is the first, as one line."""
    path = Path(path) if path else paths.config_file()
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        if required:
            raise ConfigError(f"no config file at {path} — check the path given with --config, or create it "
                              f"with `reasonchat config init --config {path}`") from None
        return _build({}, None, None)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text — save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}:{_toml_position(exc)}invalid TOML: {_toml_message(exc)}") from None
    return _build(data, str(path), _Source(str(path), text))


_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _toml_position(exc: tomllib.TOMLDecodeError) -> str:
    """"LINE:COLUMN: " from tomllib's message ("Invalid value (at line 3, column 9)"); tomllib gives the
    position only in its text before Python 3.14."""
    match = _AT.search(str(exc))
    return f"{match.group(1)}:{match.group(2)}: " if match and match.group(1) else " "


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    return _AT.sub("", str(exc))


class _Problems(list[str]):
    """What is wrong with a file, in file order as found; raised all at once at the end."""

    def raise_any(self) -> None:
        if self:
            more = f" (and {len(self) - 1} more: `reasonchat config check` lists them)" if len(self) > 1 else ""
            error = ConfigError(self[0] + more)
            error.problems = list(self)
            raise error


def _build(data: dict[str, Any], path: str | None, source: _Source | None) -> Config:
    where = source.where if source else (lambda table, key=None: "config")
    problems = _Problems()
    for key in data:
        if key not in _TOP_KEYS:
            problems.append(f"{where('', key)}: unknown key {_q(key)}{_did_you_mean(key, _TOP_KEYS)}")

    ui_data = data.get("ui", {})
    if not isinstance(ui_data, dict):
        problems.append(f"{where('', 'ui')}: ui must be a table, not {_type_name(ui_data)}")
        ui_data = {}
    ui = UiConfig(**_checked(ui_data, _UI_KEYS, "ui", where, problems))
    if ui.reasoning not in REASONING_MODES:
        problems.append(
            f"{where('ui', 'reasoning')}: ui.reasoning must be one of {', '.join(REASONING_MODES)}, "
            f"not {_q(ui.reasoning)}"
        )
    if ui.math not in MATH_MODES:
        problems.append(f"{where('ui', 'math')}: ui.math must be one of {', '.join(MATH_MODES)}, not {_q(ui.math)}"
                        f"{_did_you_mean(ui.math, MATH_MODES)}")
    if ui.theme and ui.theme not in THEMES:
        problems.append(f"{where('ui', 'theme')}: ui.theme {_q(ui.theme)} is not a theme"
                        f"{_did_you_mean(ui.theme, THEMES) or ' (the themes: ' + ', '.join(THEMES) + ')'}")

    presets_data = data.get("presets", {})
    presets: dict[str, Preset] = {}
    for name, table in BUILTIN.items():
        presets[name] = _preset(name, table, "built-in")
    for name, label, table in _named_tables(presets_data, "presets", where, problems):
        table = _checked(table, _PRESET_KEYS, label, where, problems)
        if name in BUILTIN:
            base = dict(BUILTIN[name])
            if any(k in table for k in KEY_FIELDS):  # a key source of the user's replaces the built-in one
                for k in KEY_FIELDS:
                    base.pop(k, None)
            merged = {**base, **table}
            for k in ("extra_body", "headers", "effort_map", "price"):
                if k in table and k in base:
                    merged[k] = deep_merge(base[k], table[k])
            presets[name] = _preset(name, merged, "config")
        elif not table.get("base_url"):
            problems.append(f"{where(label)}: [{label}] is a new preset and needs base_url")
        else:
            presets[name] = _preset(name, table, "config")

    roles = _roles(data.get("roles", {}), presets, where, problems)
    keys = _keys(data.get("keys", {}), where, problems)
    tools = _tools(data, where, problems)
    default = data.get("default_preset", "deepseek")
    if not isinstance(default, str):
        problems.append(f"{where('', 'default_preset')}: default_preset must be a string, not {_type_name(default)}")
    elif default not in presets:
        problems.append(
            f"{where('', 'default_preset')}: default_preset {_q(default)} is not a preset"
            f"{_did_you_mean(default, presets)}"
        )
    problems.sort(key=_line_of)
    problems.raise_any()
    readable = False
    if path is not None and any(isinstance(t, dict) and t.get("api_key") for t in presets_data.values()):
        readable = bool(os.stat(path).st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    return Config(default, ui, presets, roles, keys, tools, path, readable)


def _keys(data: Any, where: Any, problems: list[str]) -> dict[str, str]:
    if data == {}:
        return {}
    from reasonchat import keys as key_names  # (only a config with [keys] has names to check)

    if not isinstance(data, dict):
        problems.append(f"{where('', 'keys')}: keys must be a table like [keys] regenerate = \"f5\"")
        return {}
    wrong = key_names.check(data)
    for name, problem in wrong:
        problems.append(f"{where('keys', name)}: keys.{problem}" if not problem.startswith("unknown")
                        else f"{where('keys', name)}: [keys] has an {problem}")
    bad = {name for name, _ in wrong}
    return {name: str(value).replace(" ", "").lower() for name, value in data.items() if name not in bad}


def _tools(data: dict[str, Any], where: Any, problems: list[str]) -> ToolsConfig:
    """`[mcp.NAME]` servers and `[tools]` (reasonchat/tools/settings.py checks their keys)."""
    servers: dict[str, ServerConfig] = {}
    for name, label, table in _named_tables(data.get("mcp", {}), "mcp", where, problems):
        server, wrong = check_server(name, table)
        problems.extend(_said(where, label, key, what, SERVER_KEYS) for key, what in wrong)
        if server is not None:
            servers[name] = server
    tools_table = data.get("tools", {})
    if not isinstance(tools_table, dict):
        problems.append(f"{where('', 'tools')}: tools must be a table like [tools] max_rounds = 8")
        tools_table = {}
    rounds, wrong = check_tools(tools_table)
    problems.extend(_said(where, "tools", key, what, ("max_rounds",)) for key, what in wrong)
    return ToolsConfig(servers, rounds)


def _said(where: Any, label: str, key: str | None, what: str, keys: Any) -> str:
    """One problem of a checked table as a line: "file:3: mcp.time.timeout must be …"."""
    if key is None:
        return f"{where(label)}: [{label}] {what}"
    if not what:
        return f"{where(label, key)}: unknown key {_q(key)} in [{label}]{_did_you_mean(key, keys)}"
    return f"{where(label, key)}: {label}.{what}"


def _named_tables(data: Any, kind: str, where: Any, problems: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, label, table) for each [KIND.NAME] table of `data`; a problem for each entry that is not one."""
    if not isinstance(data, dict):
        problems.append(f"{where('', kind)}: {kind} must be tables like [{kind}.NAME]")
        return []
    out = []
    for name, table in data.items():
        label = f"{kind}.{_escaped(name)}"
        if not isinstance(table, dict):
            problems.append(f"{where(kind, name)}: {label} must be a table, not {_type_name(table)}")
            continue
        out.append((name, label, table))
    return out


def _roles(data: Any, presets: Mapping[str, Preset], where: Any, problems: list[str]) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for name, label, table in _named_tables(data, "roles", where, problems):
        table = _checked(table, _ROLE_KEYS, label, where, problems)
        if not table.get("system"):
            problems.append(f"{where(label)}: [{label}] needs system, the prompt the role stands for")
            continue
        if table.get("preset") and table["preset"] not in presets:
            problems.append(f"{where(label, 'preset')}: {label}.preset {_q(table['preset'])} is not a preset"
                            f"{_did_you_mean(table['preset'], presets)}")
            continue
        if "temperature" in table:
            table["temperature"] = float(table["temperature"])
        roles[name] = Role(name=name, **table)
    return roles


def _line_of(problem: str) -> int:
    match = re.match(r"[^:]*:(\d+):", problem)
    return int(match.group(1)) if match else 0


def _checked(table: dict[str, Any], schema: dict[str, tuple[tuple[type, ...], str]], label: str, where: Any,
             problems: list[str]) -> dict[str, Any]:
    """The keys of `table` that are right; a problem noted for each one that is not."""
    good: dict[str, Any] = {}
    for key, value in table.items():
        problem = _problem(key, value, schema, label, where)
        if problem:
            problems.append(problem)
        else:
            good[key] = value
    return good


def _problem(key: str, value: Any, schema: dict[str, tuple[tuple[type, ...], str]], label: str,
             where: Any) -> str:
    if key not in schema:
        return f"{where(label, key)}: unknown key {_q(key)} in [{label}]{_did_you_mean(key, schema)}"
    types, expected = schema[key]
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if ok and key in ("models", "vision_models"):
        ok = all(isinstance(item, str) for item in value)
    if ok and key == "headers":
        ok = all(isinstance(item, str) for item in value.values())
    if ok and key == "context_windows":
        ok = all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in value.values())
    if not ok:
        return f"{where(label, key)}: {label}.{key} must be {expected}, not {_type_name(value)}"
    if key == "schema_mode" and value not in ("json_schema", "json_object"):
        return (f"{where(label, key)}: {label}.schema_mode must be json_schema or json_object, not {_q(value)}"
                f"{_did_you_mean(value, ('json_schema', 'json_object'))}")
    if key in ("timeout", "max_tokens", "context_window", "attach_limit_mb") and value <= 0:
        return f"{where(label, key)}: {label}.{key} must be greater than 0, not {value}"
    if key == "base_url" and not re.match(r"https?://[^/\s]+", value) and value != DEMO_BASE_URL:
        return f"{where(label, key)}: {label}.base_url must be an http:// or https:// URL, not {_q(value)}"
    if key == "proxy" and value and not re.match(r"(https?|socks5h?)://[^/\s]+", value):
        from reasonchat.core.network import redact  # (the proxy's password, hidden)

        return (f"{where(label, key)}: {label}.proxy must be an http://, https:// or socks5:// URL, or \"\" to go "
                f"direct, not {_q(redact(value))}")
    if key == "budget" and value <= 0:
        return f"{where(label, key)}: {label}.budget must be greater than 0, not {value}"
    if key in ("effort", "effort_map", "price"):
        return _reasoning_problem(key, value, label, where)
    if key == "max_retries" and value < 0:
        return f"{where(label, key)}: {label}.{key} must be 0 or more, not {value}"
    return ""


def _reasoning_problem(key: str, value: Any, label: str, where: Any) -> str:
    """What is wrong with a preset's `effort`, `effort_map` or `price` (checked for a config that sets them)."""
    from reasonchat.core.cost import check_price
    from reasonchat.core.effort import LEVELS, check_level

    if key == "effort" and value and (problem := check_level(value)):
        return f"{where(label, key)}: {label}.{problem}"
    if key == "effort_map":
        for level, fragment in value.items():
            if level not in LEVELS[1:]:
                return (f"{where(label, key)}: {label}.effort_map has {_q(level)}: its keys are effort levels "
                        f"({', '.join(LEVELS[1:])}){_did_you_mean(level, LEVELS[1:])}")
            if not isinstance(fragment, dict):
                return (f"{where(label, key)}: {label}.effort_map.{level} must be a table of what to send, "
                        f"not {_type_name(fragment)}")
    if key == "price" and (problem := check_price(value)):
        return f"{where(label, key)}: {label}.price {problem}"
    return ""


def _preset(name: str, table: Mapping[str, Any], source: str) -> Preset:
    values = dict(table)
    for key in ("models", "vision_models"):
        if key in values:
            values[key] = tuple(values[key])
    if "timeout" in values:
        values["timeout"] = float(values["timeout"])
    return Preset(name=name, source=source, **values)
