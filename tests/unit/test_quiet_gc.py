"""Full collections wait for quiet: no input and no work for IDLE seconds, counted from the end of the work."""

from __future__ import annotations

import time

import pytest

from reasonchat.tui import quiet_gc


def test_a_full_collection_waits_until_work_has_been_over_for_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[float] = []
    monkeypatch.setattr(quiet_gc.gc, "collect", lambda *a: runs.append(time.monotonic()) or 0)
    monkeypatch.setattr(quiet_gc, "IDLE", 0.05)
    monkeypatch.setattr(quiet_gc.gc, "get_count", lambda: (0, 0, 1))  # young collections since the last full one
    busy = [True]
    collector = quiet_gc.QuietCollector(lambda: busy[0])
    collector.last_activity -= 10  # no input for long
    collector.check()
    assert runs == []  # busy
    busy[0] = False
    collector.check()
    assert runs == []  # the work just ended: not yet
    time.sleep(0.06)
    collector.check()
    assert len(runs) == 1
