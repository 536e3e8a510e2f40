"""qray.plotstyle: PNG and SVG, integer ticks, IQR bars, 95 % bands, fixed parameters in
titles, and no global matplotlib state touched."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np

from qray import plotstyle


def test_a_plot_in_the_house_style(tmp_path: Path) -> None:
    backend = matplotlib.get_backend()
    fig, axes = plotstyle.figure(1, 2, width=8, height=3)
    left, right = axes[0]
    plotstyle.median_iqr(left, [2, 4, 6], [1.0, 2.0, 3.0], [0.5, 1.5, 2.9], [1.5, 2.5, 3.2],
                         label="numpy")
    plotstyle.integer_ticks(left, [2, 4, 6])
    plotstyle.title(left, "ghz", {"depth": 8, "noise": 0.01})
    rng = np.random.default_rng(0)
    plotstyle.band(right, np.arange(50), rng.normal(size=(5, 50)).cumsum(axis=1),
                   color="C0", label="UCB1")
    plotstyle.integer_ticks(right)
    fig.canvas.draw()
    assert list(left.get_xticks()) == [2, 4, 6]
    assert all(float(t).is_integer() for t in right.get_xticks())
    assert left.get_title() == "ghz\ndepth=8, noise=0.01"
    assert len(right.collections) == 1  # the band
    png = plotstyle.save(fig, tmp_path / "p.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "p.svg").read_text().lstrip().startswith("<?xml")
    assert matplotlib.get_backend() == backend
