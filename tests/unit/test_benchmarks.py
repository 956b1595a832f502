"""The benchmark scripts still work, on tiny inputs: each runs its real measuring path (nothing stubbed) and
what it measured is plausible — an answer completed, rows found, memory a Python with Textual could have. The
figures in benchmarks/README.md come from code that runs. Nothing here asserts a time against a target
(performance targets live in the benchmarks, not in the test suite)."""

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
    assert 0 < run["cpu"] < run["wall"] * (os.cpu_count() or 1) + 1  # this process's CPU, within the machine's
    assert run["turns"] == 1 and run["samples"] >= 1  # one answer on screen; the lag probe ran beside it
    assert 0 <= run["lag_median"] <= run["lag_p99"] <= run["lag_max"]


def test_tui_stream_p3_opens_the_earlier_answers_before_streaming(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    with demo_server_process() as base_url:
        run = asyncio.run(tui_stream.run_stream(base_url, "bench-600@0", history=2))
    assert run["turns"] == 3  # the two earlier answers were on screen while this one streamed


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
        lost = crash_loss.one_run(base_url, 2.0)  # raises if the store holds what was not printed
    assert 0 <= lost < 2.0  # never more than the run lasted


def test_long_conversation_measures_each_figure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import long_conversation as lc
    from benchmarks.fixtures import seed_long_conversation

    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    conversation = seed_long_conversation(tmp_path / "reasonchat.db", 3, marker=lc.MARKER)
    with demo_server_process() as base_url:
        spawned = lc.spawn(tmp_path, ["--demo", "-c"], lc.MARKER.encode())  # P9 spawned: the marker was seen
        figures = asyncio.run(lc.measure(base_url, tmp_path, conversation, model="bench-600@0"))
        own = lc.memory_in_own_process(base_url, tmp_path, conversation, model="bench-600@0")
        bare, loaded = lc.p3(base_url, repeats=1, model="bench-600@0", history=2)
    assert spawned > 0
    assert figures["p9_all_loaded"] >= figures["p9_first_frame"] > 0
    assert figures["p11_pages"] >= 1
    for rss in (figures["p12_rss_paged"], own):  # P12 after a real stream: a Python with Textual and a
        assert 30 < rss < 2000                   # conversation holds tens of MB, not zero, not gigabytes
    assert (bare["turns"], loaded["turns"]) == (1, 3)  # P3': the earlier answers were on screen
    assert bare["cpu"] > 0 and loaded["cpu"] > 0


def test_store_scale_measures_its_queries_on_a_small_store(tmp_path: Path) -> None:
    from benchmarks import store_scale
    from reasonchat.store import TranscriptStore

    path = tmp_path / "scale.db"
    store_scale.fill(path, conversations=60, messages=600, big=40)
    with TranscriptStore(path) as store:
        figures = store_scale.measure(store)
    found = {name: rows for name, (_, rows) in figures.items()}
    assert (found["list"], found["open"], found["needle"]) == (50, 40, 1)  # the newest 50, the long one, the needle
    assert 1 <= found["common"] <= 50 and 1 <= found["chinese"] <= 50
    assert all(best > 0 for best, _ in figures.values())


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
    bare, times = startup.command_ratios([sys.executable, "-m", "reasonchat"], env, runs=1)  # each exits 0
    assert bare > 0
    assert all(seconds > bare / 2 for seconds in times.values())  # each is a Python start and then some


def test_realistic_answers_stream_through_the_tui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    with demo_server_process(realistic=True) as base_url:
        run = asyncio.run(tui_stream.run_stream(base_url, "bench-2000@0"))  # asserts the answer completed
    assert run["wall"] > run["ttft"] > 0


def test_math_render_measures_rendering_with_and_without_math() -> None:
    from benchmarks import math_render

    figures = math_render.measure(count=2, tokens=300)
    assert figures["spans"] >= 2 and figures["kb"] > 0.5
    assert figures["cold"] > 0 and figures["warm"] > 0 and figures["without"] > 0
    assert 0 < figures["per_span"] < 1000 and figures["import"] > 1


def test_math_answers_stream_through_the_tui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REASONCHAT_HOME", str(tmp_path))
    with demo_server_process(math=True) as base_url:
        run = asyncio.run(tui_stream.run_stream(base_url, "bench-2000@0"))  # asserts the answer completed
    assert run["wall"] > run["ttft"] > 0 and run["turns"] == 1


def test_tools_benchmark_measures_the_loop_and_the_servers_start() -> None:
    from benchmarks import tools

    gaps = asyncio.run(tools.result_to_wire(runs=2))
    assert len(gaps) == 2 and all(0 <= gap < 5 for gap in gaps)
    lag, took = asyncio.run(tools.lag_while_starting())
    assert lag and took > 0
