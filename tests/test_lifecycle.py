"""Recycling by memory growth: the first check sets the warmed-up baseline; a process is
replaced only once it grew past the limit."""

from __future__ import annotations

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
