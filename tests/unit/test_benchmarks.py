"""The benchmark scripts still work, on tiny inputs: the figures in benchmarks/README.md come from code that
runs. Nothing here asserts a time (performance targets live in the benchmarks, not in the test suite)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from benchmarks import decode, startup, tui_stream
from benchmarks._server import demo_server_process


def test_tui_stream_measures_a_complete_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))  # run_stream sets its own; this restores it after
    with demo_server_process() as base_url:
        run = asyncio.run(tui_stream.run_stream(base_url, "bench-600@0"))  # asserts the answer completed
    assert run["wall"] > run["ttft"] > 0
    assert run["cpu"] > 0
    assert tui_stream._stream_time(run) == run["wall"] - run["ttft"]


def test_decode_engine_sees_every_delta_the_raw_parse_sees(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode, "MODEL", "bench-600@0")
    with demo_server_process() as base_url:
        raw, engine = asyncio.run(decode.raw(base_url)), asyncio.run(decode.engine(base_url))
    assert raw == engine > 500


def test_startup_sees_the_first_frame_on_a_pty(tmp_path: Path) -> None:
    env = {**os.environ, "REASONCHAT_HOME": str(tmp_path), "TERM": "xterm-256color", "COLUMNS": "100",
           "LINES": "30"}
    ours = startup.first_frame([sys.executable, "-m", "reasonchat", "--demo"], b"thinking on", env)
    minimal = startup.first_frame([sys.executable, "-c", startup.MINIMAL], b"minimal app ready", env)
    assert ours > 0
    assert minimal > 0


def test_transport_comparison_runs_each_design(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import transport

    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    with demo_server_process() as base_url:
        results = transport.measure(base_url, tokens=600, unpaced=600, repeats=1)
    assert set(results) == {"stock+rest", "stock", "thread"}
    for figures in results.values():
        assert figures["cpu"] > 0
        assert figures["unpaced_tps"] > 0
    from reasonchat.core import client

    assert client.REST == 0.01  # every design's switch was undone


def test_crash_loss_measures_a_killed_ask() -> None:
    from benchmarks import crash_loss

    with demo_server_process() as base_url:
        lost = crash_loss.one_run(base_url, 2.0)
    assert lost >= 0
