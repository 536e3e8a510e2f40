"""Summary statistics: median with quartiles, seeded bootstrap intervals, paired
differences with their t interval, and the mark of a cell with too few values.

Timings are skewed and few (a handful of repetitions per cell), so qray reports medians
with their interquartile range and percentile-bootstrap intervals rather than means with
standard errors. Every bootstrap draws from its own ``np.random.Generator`` seeded by the
caller, so a summary written twice is identical. NaN values (rows without a timing) are
dropped before any statistic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

Stat = Callable[..., object]


def _clean(values: Iterable[float] | np.ndarray, what: str = "values") -> np.ndarray:
    """``values`` as a 1-D float array without NaNs; a ValueError when nothing is left."""
    arr = np.asarray(values if isinstance(values, np.ndarray) else list(values),
                     dtype=float).ravel()
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        raise ValueError(f"{what}: no values (empty, or only NaN)")
    return arr


def median_iqr(values: Iterable[float] | np.ndarray) -> tuple[float, float, float]:
    """``(median, q1, q3)`` of ``values`` (linear interpolation between order statistics,
    numpy's default); a single value gives ``(v, v, v)``."""
    arr = _clean(values)
    q1, med, q3 = np.percentile(arr, [25.0, 50.0, 75.0])
    return float(med), float(q1), float(q3)


def _resampled_stat(arr: np.ndarray, stat: Stat, rng: np.random.Generator,
                    n_boot: int) -> np.ndarray:
    """``stat`` of ``n_boot`` resamples (with replacement) of ``arr``."""
    samples = arr[rng.integers(0, arr.size, size=(n_boot, arr.size))]
    try:
        out = np.asarray(stat(samples, axis=1), dtype=float)
    except TypeError:  # a statistic without an ``axis`` argument
        out = np.array([float(stat(s)) for s in samples])
    if out.shape != (n_boot,):
        raise ValueError(f"stat must reduce each resample to one number, got shape {out.shape}")
    return out


def _check(level: float, n_boot: int) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    if n_boot < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot!r}")


def _interval(draws: np.ndarray, level: float) -> tuple[float, float]:
    tail = 50.0 * (1.0 - level)
    finite = draws[~np.isnan(draws)]
    if finite.size == 0:
        return float("nan"), float("nan")
    lo, hi = np.percentile(finite, [tail, 100.0 - tail])
    return float(lo), float(hi)


def bootstrap_ci(values: Iterable[float] | np.ndarray, stat: Stat = np.median, *,
                 level: float = 0.95, n_boot: int = 2000, seed: int = 0,
                 ) -> tuple[float, float]:
    """The percentile-bootstrap ``level`` interval ``(low, high)`` of ``stat(values)``.

    Args:
        values: the sample (NaNs dropped).
        stat: a reduction; called as ``stat(samples, axis=1)`` on all resamples at once
            when it takes ``axis`` (numpy's do), else once per resample.
        level: the interval's coverage, e.g. 0.95.
        n_boot: the number of resamples.
        seed: seeds the resampling (same seed and input, same interval).
    """
    _check(level, n_boot)
    arr = _clean(values)
    rng = np.random.default_rng(seed)
    return _interval(_resampled_stat(arr, stat, rng, n_boot), level)


def ratio_ci(a_values: Iterable[float] | np.ndarray, b_values: Iterable[float] | np.ndarray,
             stat: Stat = np.median, *, level: float = 0.95, n_boot: int = 2000,
             seed: int = 0) -> tuple[float, float, float]:
    """``(ratio, low, high)``: ``stat(a) / stat(b)`` with its percentile-bootstrap
    ``level`` interval, each side resampled independently (two separate samples, e.g.
    the repetitions of two backends or of two sweeps). A zero denominator gives ``inf``
    (or NaN for 0/0), never an exception.

    Speedup of a backend over a reference is ``ratio_ci(reference_times, backend_times)``;
    the change from sweep A to sweep B is ``ratio_ci(b_times, a_times)``.
    """
    _check(level, n_boot)
    a = _clean(a_values, "a_values")
    b = _clean(b_values, "b_values")
    rng = np.random.default_rng(seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = float(np.divide(float(np.asarray(stat(a))), float(np.asarray(stat(b)))))
        draws = np.divide(_resampled_stat(a, stat, rng, n_boot),
                          _resampled_stat(b, stat, rng, n_boot))
        lo, hi = _interval(draws, level)
    return ratio, lo, hi


def format_interval(value: float, low: float, high: float, *, fmt: str = "{:.3g}") -> str:
    """``"1.23 [1.1–1.4]"``: a value with its interval, for markdown tables."""
    return f"{fmt.format(value)} [{fmt.format(low)}–{fmt.format(high)}]"


#: fewer values than this make an interval too wide to conclude from: tables mark it
MIN_VALUES = 5
#: the mark and the footnote of a cell with fewer than MIN_VALUES values
FEW_MARK = "†"
FEW_NOTE = (f"{FEW_MARK} fewer than {MIN_VALUES} values: the interval is too unstable to "
            "conclude from.")


def few(n: int) -> str:
    """The mark of a cell with ``n`` values (empty from :data:`MIN_VALUES` on)."""
    return FEW_MARK if n < MIN_VALUES else ""


@dataclass(frozen=True)
class PairedDifference:
    """The mean of paired differences a - b with its t interval over ``n`` pairs."""

    n: int
    mean: float
    low: float
    high: float
    #: the mean of b, so that the difference reads as a share of it
    base: float

    @property
    def sign(self) -> int:
        """-1 when the interval lies below 0, +1 above, 0 when it includes 0 (or has
        fewer than two pairs)."""
        if self.n < 2:
            return 0
        return -1 if self.high < 0 else 1 if self.low > 0 else 0

    @property
    def decided(self) -> bool:
        """The interval excludes 0 (and has at least two pairs)."""
        return self.sign != 0

    def text(self, unit: str = "", fmt: str = "{:+.3g}") -> str:
        """``"-12.3 [-20.1, -4.5] s (-8.1 %), n = 100"``."""
        share = f" ({100 * self.mean / self.base:+.1f} %)" if self.base else ""
        return (f"{fmt.format(self.mean)} [{fmt.format(self.low)}, {fmt.format(self.high)}]"
                f"{unit}{share}, n = {self.n}")


def paired_difference(a: Iterable[float] | np.ndarray, b: Iterable[float] | np.ndarray, *,
                      level: float = 0.95) -> PairedDifference:
    """Mean of ``a - b`` over pairs (the same episode, seed or instance under two
    treatments) with its Student-t ``level`` interval; pairs with a NaN are dropped.
    Fewer than two pairs give a NaN interval."""
    _check(level, 1)
    x = np.asarray(list(a) if not isinstance(a, np.ndarray) else a, dtype=float).ravel()
    y = np.asarray(list(b) if not isinstance(b, np.ndarray) else b, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"paired samples differ in length: {x.size} and {y.size}")
    keep = ~(np.isnan(x) | np.isnan(y))
    d, base = x[keep] - y[keep], y[keep]
    n = int(d.size)
    if n == 0:
        return PairedDifference(0, math.nan, math.nan, math.nan, math.nan)
    mean = float(d.mean())
    if n < 2:
        return PairedDifference(1, mean, math.nan, math.nan, float(base.mean()))
    from scipy.stats import t

    half = float(t.ppf(0.5 + level / 2, n - 1) * d.std(ddof=1) / math.sqrt(n))
    return PairedDifference(n, mean, mean - half, mean + half, float(base.mean()))
