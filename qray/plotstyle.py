"""The plot style every summary uses: its own ``Figure`` (never pyplot, never a backend
switch), integer ticks on integer axes, medians with interquartile bars, confidence bands
on curves, titles that name the parameters held fixed, and each plot saved as PNG and SVG.

    fig, axes = figure(1, 2, width=10, height=4)
    median_iqr(axes[0][0], sizes, medians, q1, q3, label="numpy", color=color)
    integer_ticks(axes[0][0], sizes)
    title(axes[0][0], "ghz", {"depth": 8, "noise": 0})
    save(fig, sweep_dir / "time_vs_qubits.png")      # and time_vs_qubits.svg
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

DPI = 110
#: the band drawn around a curve: the mean's 95 % normal interval
Z95 = 1.96


def figure(nrows: int = 1, ncols: int = 1, *, width: float, height: float) -> tuple[Any, Any]:
    """A ``matplotlib.figure.Figure`` with constrained layout (titles and legends are never
    clipped) and its axes as a 2-D array."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def colors(labels: Iterable[str], *, keep_order: bool = False) -> dict[str, Any]:
    """One stable colour per label (sorted, or in the given order), from tab10 or tab20."""
    from matplotlib import colormaps

    names = list(dict.fromkeys(labels)) if keep_order else sorted(set(labels))
    palette = colormaps["tab10" if len(names) <= 10 else "tab20"]
    return {n: palette(i % palette.N) for i, n in enumerate(names)}


def integer_ticks(ax: Any, values: Sequence[float] | None = None, *, axis: str = "x") -> None:
    """Integer ticks: at the measured ``values`` when there are few, else a locator that
    only picks integers."""
    from matplotlib.ticker import MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    if values is not None and 0 < len(set(values)) <= 12:
        ticks = sorted({int(v) for v in values})
        (ax.set_xticks if axis == "x" else ax.set_yticks)(ticks)
    else:
        target.set_major_locator(MaxNLocator(integer=True))


def median_iqr(ax: Any, x: Sequence[float], median: Sequence[float], q1: Sequence[float],
               q3: Sequence[float], **kwargs: Any) -> Any:
    """Medians joined by a line, with bars from the first to the third quartile."""
    med = np.asarray(median, dtype=float)
    yerr = np.vstack([med - np.asarray(q1, dtype=float),
                      np.asarray(q3, dtype=float) - med]).clip(min=0)
    kwargs.setdefault("marker", "o")
    kwargs.setdefault("capsize", 3)
    return ax.errorbar(x, med, yerr=yerr, **kwargs)


def band(ax: Any, x: Sequence[float], samples: np.ndarray, *, color: Any, label: str,
         z: float = Z95) -> None:
    """The mean over the rows of ``samples`` (replicates x points) as a line, and a band
    of ``z`` standard errors around it (nothing drawn around a single replicate)."""
    samples = np.atleast_2d(np.asarray(samples, dtype=float))
    mean = samples.mean(axis=0)
    ax.plot(x, mean, color=color, label=label)
    if samples.shape[0] > 1:
        half = z * samples.std(axis=0, ddof=1) / np.sqrt(samples.shape[0])
        ax.fill_between(x, mean - half, mean + half, color=color, alpha=0.2, linewidth=0)


def fixed_text(fixed: Mapping[str, Any]) -> str:
    """``depth=8, noise=0``: the parameters a plot holds fixed."""
    return ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in fixed.items())


def title(ax: Any, text: str, fixed: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
    """The axes' title, with the fixed parameters on a second, smaller line."""
    kwargs.setdefault("fontsize", 10)
    ax.set_title(f"{text}\n{fixed_text(fixed)}" if fixed else text, **kwargs)


def save(fig: Any, path: Path) -> Path:
    """Write ``path`` (PNG) and the same plot as SVG and PDF (for a paper) beside it;
    returns ``path``."""
    path = Path(path)
    fig.savefig(path, dpi=DPI)
    fig.savefig(path.with_suffix(".svg"))
    fig.savefig(path.with_suffix(".pdf"))
    return path
