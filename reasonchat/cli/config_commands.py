"""`reasonchat presets` and `reasonchat config (path | init | check)`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reasonchat import config as config_module
from reasonchat import paths
from reasonchat.cli.colour import BOLD, GREEN, YELLOW, paint
from reasonchat.errors import ConfigError
from reasonchat.state import load_state
from reasonchat.text.sanitize import clean_line


def _config_path(args: argparse.Namespace) -> Path:
    path = getattr(args, "config", None)
    return Path(path).expanduser() if path else paths.config_file()


def example_text() -> str:
    """The documented example config (config.example.toml), shipped inside the package."""
    from importlib import resources  # only `config init` reads it

    packaged = resources.files("reasonchat").joinpath("config.example.toml")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "config.example.toml").read_text(encoding="utf-8")


def _load(args: argparse.Namespace) -> config_module.Config:
    """The config; a file named with --config must exist."""
    return config_module.load(_config_path(args), required=bool(getattr(args, "config", None)))


def presets(args: argparse.Namespace) -> int:
    """The presets; `*` marks the one a bare `reasonchat` opens on: the one used last (state.toml), else the
    default preset."""
    cfg = _load(args)
    remembered = load_state().preset
    used = remembered if remembered in cfg.presets else cfg.default_preset
    rows = []
    for preset in cfg.presets.values():
        where, present = preset.key_source()
        rows.append({
            "name": preset.name,
            "base_url": preset.base_url,
            "model": preset.model,
            "key": where,
            "key_present": present,
            "source": preset.source,
            "default": preset.name == cfg.default_preset,
            "used": preset.name == used,
            "description": preset.description,
        })
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(paint(f"  {'NAME':12}  {'MODEL':26}  {'KEY':30}  {'SOURCE':8}  BASE URL", BOLD, sys.stdout))
    for row in rows:
        mark = "*" if row["used"] else " "
        key = f"{row['key']} {'✓' if row['key_present'] else '✗ missing'}"
        shown = paint(f"{key:30}", GREEN if row["key_present"] else YELLOW, sys.stdout)
        model = row["model"] or "(first served)"
        print(f"{mark} {clean_line(str(row['name']), 12):12}  {clean_line(str(model), 26):26}  {shown}  "
              f"{row['source']:8}  {clean_line(str(row['base_url']), 60)}")
    return 0


def config(args: argparse.Namespace) -> int:
    path = _config_path(args)
    if args.action == "path":
        print(path)
        return 0
    if args.action == "init":
        if path.exists():
            raise ConfigError(f"{path} exists already — edit it, or remove it first to start over")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(example_text())
        path.chmod(0o600)
        print(f"wrote {path}")
        return 0
    try:
        cfg = _load(args)
    except ConfigError as exc:  # every problem, one line each, not just the first
        for problem in exc.problems:
            print(f"reasonchat: {clean_line(problem, 2000)}", file=sys.stderr)
        if len(exc.problems) > 1:
            print(f"reasonchat: {len(exc.problems)} problems in {path}", file=sys.stderr)
        return exc.exit_code
    where = str(path) if cfg.path else f"{path} (not there: built-in presets only)"
    print(f"config ok: {where}")
    exports = Path(cfg.ui.export_dir).expanduser() if cfg.ui.export_dir else paths.exports_dir()
    print(f"default preset: {cfg.default_preset}; reasoning display: {cfg.ui.reasoning}; math: {cfg.ui.math}; "
          f"ctrl+e exports go to: {exports}")
    for preset in cfg.presets.values():
        key, present = preset.key_source()
        print(f"  {preset.name:12} {preset.source:8} {preset.model or '(first served)'} @ {preset.base_url} "
              f"— key: {key}{'' if present else ' (missing)'}")
    return 0
