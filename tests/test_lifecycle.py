"""Recycling by memory growth: the first check sets the warmed-up baseline; a process is
replaced only once it grew past the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from qray import lifecycle


def test_growth_over_the_warmed_up_baseline(monkeypatch: pytest.MonkeyPatch) -> None:
    rss = iter([300.0, 900.0, 1300.0, 1400.0])
    monkeypatch.setattr(lifecycle, "rss_mb", lambda: next(rss))
    growth = lifecycle.RssGrowth(1024)
    assert growth.reason() is None and growth.baseline_mb == 300.0  # warmed up
    assert growth.reason() is None  # grew 600 MiB
    assert growth.reason() is None  # grew 1000 MiB
    assert "grew 1100 MiB over its warmed-up 300 MiB" in growth.reason()
    assert lifecycle.RssGrowth().reason() is None  # no limit: never measured


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="Linux only")
def test_run_memory_is_the_runs_own_peak_not_the_processes() -> None:
    import numpy as np

    from qray.lifecycle import RunMemory

    with RunMemory() as big:
        a = np.ones(100 * 2**20 // 8)  # 100 MiB, touched
        del a
    with RunMemory() as small:  # after the big run: its peak must not show here
        b = np.ones(10 * 2**20 // 8)
        del b
    assert 90 <= big.mb <= 130
    assert 5 <= small.mb <= 40
