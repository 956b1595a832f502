"""Full collections wait for quiet: no input and no work for IDLE seconds, counted from the end of the work."""

from __future__ import annotations

import pytest

from reasonchat.tui import quiet_gc


def test_a_full_collection_waits_until_work_has_been_over_for_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[float] = []
    now = [1000.0]  # the collector's clock, moved by the test: no window on the real one
    monkeypatch.setattr(quiet_gc.gc, "collect", lambda *a: runs.append(now[0]) or 0)
    monkeypatch.setattr(quiet_gc.gc, "get_count", lambda: (0, 0, 1))  # young collections since the last full one
    busy = [True]
    collector = quiet_gc.QuietCollector(lambda: busy[0], clock=lambda: now[0])
    now[0] += 10 * quiet_gc.IDLE  # no input for long
    collector.check()
    assert runs == []  # busy
    busy[0] = False
    collector.check()
    assert runs == []  # the work just ended: not yet
    now[0] += quiet_gc.IDLE * 0.9
    collector.check()
    assert runs == []  # quiet, but not for IDLE seconds
    now[0] += quiet_gc.IDLE * 0.2
    collector.check()
    assert runs == [now[0]]


def test_a_quiet_collection_first_lets_go_of_what_textuals_styles_memo_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual._styles_cache import StylesCache
    from textual.color import Color

    monkeypatch.setattr(quiet_gc, "IDLE", 0.0)
    monkeypatch.setattr(quiet_gc.gc, "get_count", lambda: (0, 0, 1))
    StylesCache().get_inner_outer(Color(1, 2, 3), Color(1, 2, 3))
    assert StylesCache.get_inner_outer.cache_info().currsize >= 1  # it holds the StylesCache it was asked on
    quiet_gc.QuietCollector(lambda: False).check()
    assert StylesCache.get_inner_outer.cache_info().currsize == 0
