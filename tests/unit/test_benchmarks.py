"""The benchmark scripts still work, on tiny inputs: the figures in benchmarks/README.md come from code that
runs. Nothing here asserts a time (performance targets live in the benchmarks, not in the test suite)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from benchmarks import compare_stream, decode, startup, tui_stream
from benchmarks._server import demo_server_process


def test_tui_stream_measures_a_complete_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))  # run_stream sets its own; this restores it after
    with demo_server_process() as base_url:
        run = asyncio.run(tui_stream.run_stream(base_url, "bench-600@0"))  # asserts the answer completed
    assert run["wall"] > run["ttft"] > 0
    assert run["cpu"] > 0
    assert tui_stream._stream_time(run) == run["wall"] - run["ttft"]


def test_compare_stream_measures_three_complete_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    with demo_server_process() as base_url:
        run = asyncio.run(compare_stream.run_compare(base_url, "bench-600@0"))  # asserts all three completed
    assert run["wall"] > run["ttft"] > 0
    assert run["cpu"] > 0


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


def test_long_conversation_measures_each_figure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import long_conversation as lc
    from benchmarks.fixtures import seed_long_conversation

    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    conversation = seed_long_conversation(tmp_path / "reasonchat.db", 3, marker=lc.MARKER)
    with demo_server_process() as base_url:
        monkeypatch.setattr(lc, "stream_one_more", _no_stream)
        figures = asyncio.run(lc.measure(base_url, tmp_path, conversation))
    assert figures["p9_all_loaded"] >= figures["p9_first_frame"] > 0
    assert figures["p11_pages"] >= 1
    assert figures["p12_rss_paged"] > 0


async def _no_stream(pilot: object, app: object) -> None:
    """The 20k-token answer P12 asks for is the long part: its code runs in test_tui_stream above."""


def test_large_store_search_measures_every_query(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import large_store

    home, sizes = large_store.store_home(tiny=True, fresh=True)
    monkeypatch.setenv("REASONCHAT_HOME", str(home))
    figures = asyncio.run(large_store.measure(home))
    assert len(figures) == len(large_store.QUERIES) + 1
    assert all(f["result"] > 0 for f in figures.values())
    assert sizes["disk_bytes"] > 0


def test_startup_commands_run_against_a_seeded_store(monkeypatch: pytest.MonkeyPatch) -> None:
    env = startup.seeded_home(4, 8)  # where a user's files are: XDG folders, no REASONCHAT_HOME
    assert "REASONCHAT_HOME" not in env
    bare, times = startup.command_ratios([sys.executable, "-m", "reasonchat"], env, runs=1)
    assert bare > 0
    assert set(times) == set(startup.COMMANDS)


def test_realistic_answers_stream_through_the_tui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    with demo_server_process(realistic=True) as base_url:
        run = asyncio.run(tui_stream.run_stream(base_url, "bench-2000@0"))  # asserts the answer completed
    assert run["wall"] > run["ttft"] > 0
