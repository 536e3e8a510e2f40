"""Allocators: capacities follow the route statistics, and what is logged is used."""

from __future__ import annotations

import numpy as np
import pytest

from qray.netsim.allocators.base import RouteStats, proportional
from qray.netsim.learners.base import ArmSet
from qray.netsim.learners.random import RandomLearner
from qray.netsim.registry import LEARNERS, load, make_params
from qray.netsim.runner import Experiment, run
from tests.netsim.helpers import make_testbed


def stats_favoring(path: int, n_paths: int = 4) -> RouteStats:
    """400 uses of every path; ``path`` delivered 95 % of the time, the others 30 %."""
    stats = RouteStats.empty(n_paths)
    stats.attempts[:] = 400
    stats.successes[:] = [380 if p == path else 120 for p in range(n_paths)]
    return stats


@pytest.mark.parametrize("name", ["Dynamic", "ThompsonSampling"])
def test_adaptive_allocators_move_capacity_to_the_better_path(name: str) -> None:
    tb = make_testbed("default")
    cls = load("allocators", name)
    alloc = cls(make_params("allocators", name, {}, key="x"), tb.baseline, tb.min_capacity,
                np.random.default_rng(0))
    assert alloc.allocate(0, RouteStats.empty(4)) == tb.baseline  # nothing observed yet
    for better in range(4):
        caps = np.array(alloc.allocate(1, stats_favoring(better)))
        assert caps.sum() == tb.total_qubits and (caps >= tb.min_capacity).all()
        free = caps - np.array(tb.min_capacity)
        others = np.delete(free, better)
        assert free[better] > others.max(), (name, better, caps)


@pytest.mark.parametrize("name", ["Dynamic", "ThompsonSampling"])
def test_capacity_moves_during_a_run(name: str) -> None:
    # the studied code never passed route statistics: every allocation stayed uniform
    r = run(make_testbed("default"), Experiment(name, "none", "UCB1", 4000, 500, 2))
    caps = np.array(r.alloc_capacities)
    assert len({tuple(c) for c in caps}) > 1
    best = r.best_path
    assert caps[-1][best] - tb_min(best) >= caps[0][best] - tb_min(best)


def tb_min(path: int) -> int:
    return make_testbed("default").min_capacity[path]


def test_random_allocator_decays_to_the_baseline() -> None:
    tb = make_testbed("default")
    cls = load("allocators", "Random")
    alloc = cls(make_params("allocators", "Random", {"decay": 0.5}, key="x"), tb.baseline,
                tb.min_capacity, np.random.default_rng(0))
    first = [alloc.allocate(0, RouteStats.empty(4)) for _ in range(20)]
    assert len(set(first)) > 1
    assert alloc.allocate(30, RouteStats.empty(4)) == tb.baseline


def test_proportional_keeps_minimums_and_total() -> None:
    caps = proportional((2, 2, 3), 20, np.array([0.0, 1.0, 3.0]))
    assert sum(caps) == 20 and caps[0] == 2 and caps[2] > caps[1]


class Recorder(RandomLearner):
    """A random learner that records the arm sets it was given."""

    seen: list[list[int]] = []

    def set_arms(self, arms: list[ArmSet]) -> None:
        super().set_arms(arms)
        Recorder.seen.append([int(a.splits.sum(axis=1)[0]) for a in arms])


def test_logged_allocation_is_the_allocation_used(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setitem(LEARNERS, "Recorder", "tests.netsim.test_allocators:Recorder")
    load.cache_clear()
    Recorder.seen = []
    try:
        r = run(make_testbed("default"), Experiment("ThompsonSampling", "none", "Recorder",
                                                    3000, 300, 5))
    finally:
        load.cache_clear()
    assert Recorder.seen == r.alloc_capacities
    assert r.alloc_frames == list(range(0, 3000, 300))
