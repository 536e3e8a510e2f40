"""Medians with quartiles and seeded bootstrap intervals (qray.results.stats)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qray.results.stats import bootstrap_ci, format_interval, median_iqr, ratio_ci


def test_median_iqr_known_values() -> None:
    assert median_iqr([1, 2, 3, 4, 5]) == (3.0, 2.0, 4.0)
    assert median_iqr(np.arange(1.0, 9.0)) == (4.5, 2.75, 6.25)  # numpy's linear rule
    assert median_iqr([4.0, float("nan"), 2.0]) == (3.0, 2.5, 3.5)  # NaN dropped


def test_single_value_is_degenerate_not_an_error() -> None:
    assert median_iqr([0.25]) == (0.25, 0.25, 0.25)
    assert bootstrap_ci([0.25]) == (0.25, 0.25)
    assert ratio_ci([2.0], [0.5]) == (4.0, 4.0, 4.0)


def test_empty_input_and_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="no values"):
        median_iqr([])
    with pytest.raises(ValueError, match="b_values: no values"):
        ratio_ci([1.0], [float("nan")])
    with pytest.raises(ValueError, match="level must be in"):
        bootstrap_ci([1.0, 2.0], level=95)
    with pytest.raises(ValueError, match="n_boot"):
        bootstrap_ci([1.0, 2.0], n_boot=0)


def test_bootstrap_is_seeded() -> None:
    values = np.random.default_rng(7).lognormal(size=15)
    assert bootstrap_ci(values, seed=3) == bootstrap_ci(values, seed=3)
    # the median's resamples are order statistics, so the mean shows another seed's draws
    assert bootstrap_ci(values, np.mean, seed=3) != bootstrap_ci(values, np.mean, seed=4)
    assert ratio_ci(values, values[::-1] * 2, seed=1) == ratio_ci(values, values[::-1] * 2,
                                                                 seed=1)


def test_bootstrap_interval_covers_the_median_and_narrows_with_more_data() -> None:
    rng = np.random.default_rng(0)
    small = rng.normal(10.0, 1.0, size=10)
    large = rng.normal(10.0, 1.0, size=1000)
    lo_s, hi_s = bootstrap_ci(small)
    lo_l, hi_l = bootstrap_ci(large)
    assert lo_s <= np.median(small) <= hi_s
    assert lo_l <= np.median(large) <= hi_l
    assert hi_l - lo_l < (hi_s - lo_s) / 3
    # the interval is made of the statistic's resampled values: within the sample's range
    assert small.min() <= lo_s and hi_s <= small.max()


def test_other_statistics_with_and_without_an_axis_argument() -> None:
    values = [1.0, 2.0, 3.0, 10.0]
    with_axis = bootstrap_ci(values, np.mean, seed=5)
    without_axis = bootstrap_ci(values, lambda s: float(np.mean(s)), seed=5)
    assert with_axis == pytest.approx(without_axis)
    assert 1.0 <= with_axis[0] <= with_axis[1] <= 10.0


def test_ratio_of_medians_and_its_interval() -> None:
    rng = np.random.default_rng(2)
    slow = rng.normal(4.0, 0.1, size=30)
    fast = rng.normal(1.0, 0.02, size=30)
    ratio, lo, hi = ratio_ci(slow, fast)
    assert ratio == pytest.approx(np.median(slow) / np.median(fast))
    assert lo <= ratio <= hi
    assert lo > 3.6 and hi < 4.4
    same, lo1, hi1 = ratio_ci([1.0, 1.0, 1.0], [1.0, 1.0])
    assert (same, lo1, hi1) == (1.0, 1.0, 1.0)


def test_zero_denominator_gives_inf_not_an_exception() -> None:
    ratio, _, _ = ratio_ci([1.0, 2.0], [0.0, 0.0])
    assert math.isinf(ratio)


def test_format_interval() -> None:
    assert format_interval(1.2345, 1.1, 1.4) == "1.23 [1.1–1.4]"


def test_paired_difference_is_a_t_interval_over_pairs() -> None:
    from scipy.stats import t

    from qray.results.stats import paired_difference

    a = np.array([1.0, 2.0, 4.0, 3.0])
    b = np.array([0.5, 1.0, 3.0, 3.5])
    d = paired_difference(a, b)
    diff = a - b
    half = t.ppf(0.975, 3) * diff.std(ddof=1) / 2
    assert (d.n, d.mean) == (4, diff.mean())
    assert (d.low, d.high) == pytest.approx((diff.mean() - half, diff.mean() + half))
    assert not d.decided  # the interval includes 0
    assert paired_difference([1.0, np.nan, 2.0], [0.0, 5.0, 0.9]).n == 2
    assert np.isnan(paired_difference([1.0], [0.0]).low)
    with pytest.raises(ValueError, match="differ in length"):
        paired_difference([1.0, 2.0], [1.0])


def test_few_values_are_marked() -> None:
    from qray.results.stats import FEW_MARK, MIN_VALUES, few

    assert few(MIN_VALUES - 1) == FEW_MARK and few(MIN_VALUES) == ""
