"""The routing summary says n per bar, draws the spread over instances, and counts one
circuit as one instance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import t

from qray.routing.summary import _plot, summary_table


def rows() -> pd.DataFrame:
    out = []
    for router, base in (("sabre-1", 10), ("lookahead", 12)):
        for i, extra in enumerate((0, 2, 4, 6, 8)):  # five random instances
            out.append({"coupling_map": "grid-3x3", "family": "random", "n_qubits": 9,
                        "router": router, "instance": i, "swaps": base + extra,
                        "depth": 30, "depth_2q": 10, "depth_in": 20, "route_s": 0.01,
                        "verified": True, "task_id": f"{router}-r{i}"})
        out.append({"coupling_map": "grid-3x3", "family": "qft", "n_qubits": 9,
                    "router": router, "instance": 0, "swaps": base, "depth": 30,
                    "depth_2q": 10, "depth_in": 20, "route_s": 0.01, "verified": True,
                    "task_id": f"{router}-qft"})
    return pd.DataFrame(out)


def test_the_table_gives_n_distinct_instances_and_the_interval() -> None:
    table = summary_table(rows())
    rnd = table[(table["family"] == "random") & (table["router"] == "sabre-1")].iloc[0]
    swaps = np.array([10, 12, 14, 16, 18])
    assert rnd["circuits"] == 5 and rnd["swaps"] == 14
    assert rnd["swaps_ci95"] == pytest.approx(t.ppf(0.975, 4) * swaps.std(ddof=1) / np.sqrt(5))
    qft = table[table["family"] == "qft"]
    assert (qft["circuits"] == 1).all() and qft["swaps_ci95"].isna().all()


def test_the_plot_has_error_bars_and_n_over_each_bar(tmp_path: Path) -> None:
    import qray.plotstyle as plotstyle

    seen = []
    real = plotstyle.save
    plotstyle.save = lambda fig, path: (seen.append(fig), real(fig, path))[1]
    try:
        _plot(summary_table(rows()), tmp_path / "routing_swaps.png")
    finally:
        plotstyle.save = real
    ax = seen[0].axes[0]
    labels = sorted(a.get_text() for a in ax.texts)
    assert labels == ["1", "1", "5", "5"]
    from matplotlib.container import BarContainer, ErrorbarContainer

    kinds = [type(c) for c in ax.containers]
    assert kinds.count(BarContainer) == 4  # two routers x (random, qft)
    assert kinds.count(ErrorbarContainer) == 2  # only the five-instance bars have a spread
    assert "95 % CI" in ax.get_ylabel()
    assert (tmp_path / "routing_swaps.pdf").is_file()
