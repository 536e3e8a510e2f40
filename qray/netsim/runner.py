"""One experiment: a learner plays a testbed for T frames under an attack scenario while
an allocator re-decides the paths' qubit capacities every ``epoch`` frames.

Metrics are computed on expected rewards (pseudo-reward), so the Oracle's efficiency is
exactly 100 % and no learner can exceed it: each frame the learner earns the expected
reward of the arm it played (the testbed's ``fail_reward``, 0 for most models, on a
denied path) and the oracle the best such value over all paths. The learner itself only ever sees the realized reward of its own choice. For
rewards that can be negative (paper2's piecewise reward), efficiency is computed on the
rewards rescaled to [0, 1] by the testbed's reward range.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qray.netsim.allocators.base import RouteStats
from qray.netsim.learners.base import ArmSet
from qray.netsim.physics.base import Testbed
from qray.netsim.registry import load

#: points kept of the regret and reward curves
CURVE_POINTS = 100
#: frames whose chosen path is kept as it is (how fast a learner settles)
FIRST_FRAMES = 100


@dataclass(frozen=True)
class Experiment:
    """What one run plays (component params already validated)."""

    allocator: str
    scenario: str
    learner: str
    horizon: int
    epoch: int
    seed: int
    scale: float = 1.0
    allocator_params: Any = None
    scenario_params: Any = None
    learner_params: Any = None


@dataclass
class Result:
    """Per-frame traces of a run plus the derived metrics (see :meth:`metrics`)."""

    paths: np.ndarray
    arms: np.ndarray
    masks: np.ndarray
    chosen: np.ndarray  # expected reward of the choice (0 if denied)
    oracle: np.ndarray  # best expected reward available in the frame
    realized: np.ndarray
    alloc_frames: list[int] = field(default_factory=list)
    alloc_capacities: list[list[int]] = field(default_factory=list)
    best_path: int = 0
    n_arms: int = 0
    reward_range: tuple[float, float] = (0.0, 1.0)
    seconds: float = 0.0

    def metrics(self) -> dict[str, Any]:
        """Efficiency, regret, cumulative rewards, curves and the summarized path trace."""
        lo, hi = self.reward_range
        norm = (self.chosen - lo) / (hi - lo)
        norm_oracle = (self.oracle - lo) / (hi - lo)
        total_oracle = float(norm_oracle.sum())
        efficiency = 100.0 * float(norm.sum()) / total_oracle if total_oracle > 0 else 100.0
        regret = np.cumsum(self.oracle - self.chosen)
        reward = np.cumsum(self.chosen)
        at = np.unique(np.linspace(0, len(self.paths) - 1, CURVE_POINTS).round().astype(int))
        tail = self.paths[-max(1, len(self.paths) // 10):]
        final = np.bincount(tail, minlength=self.masks.shape[1])
        r = self.masks.shape[1]
        return {
            "efficiency": efficiency,
            "gap": 100.0 - efficiency,
            "reward": float(reward[-1]),
            "oracle_reward": float(self.oracle.sum()),
            "realized_reward": float(self.realized.sum()),
            "regret": float(regret[-1]),
            "curve_frames": (at + 1).tolist(),
            "regret_curve": regret[at].tolist(),
            "reward_curve": reward[at].tolist(),
            "path_counts": np.bincount(self.paths, minlength=r).tolist(),
            "path_rewards": np.bincount(self.paths, weights=self.realized, minlength=r).tolist(),
            "first_paths": self.paths[:FIRST_FRAMES].tolist(),
            "denied_counts": (~self.masks).sum(axis=0).tolist(),
            "denied_choices": int((~self.masks[np.arange(len(self.paths)), self.paths]).sum()),
            "switches": int((np.diff(self.paths) != 0).sum()),
            "final_path": int(final.argmax()),
            "final_path_share": float(final.max() / len(tail)),
            "best_path": self.best_path,
            "n_arms": self.n_arms,
            "alloc_frames": self.alloc_frames,
            "alloc_capacities": self.alloc_capacities,
        }


def make_components(testbed: Testbed, exp: Experiment) -> tuple[Any, Any, Any, np.random.Generator]:
    """Scenario, allocator, learner and reward stream, each on its own seeded stream."""
    s_rng, a_rng, l_rng, r_rng = np.random.default_rng(exp.seed).spawn(4)
    params = lambda p, kind, name: p if p is not None else load(kind, name).Params()  # noqa: E731
    scenario = load("scenarios", exp.scenario)(
        params(exp.scenario_params, "scenarios", exp.scenario), testbed.n_paths, exp.horizon, s_rng)
    allocator = load("allocators", exp.allocator)(
        params(exp.allocator_params, "allocators", exp.allocator), testbed.baseline,
        testbed.min_capacity, a_rng)
    learner = load("learners", exp.learner)(
        params(exp.learner_params, "learners", exp.learner), testbed.n_paths, exp.horizon, l_rng,
        exp.scale)
    learner.reward_range = testbed.reward_range
    return scenario, allocator, learner, r_rng


def run(testbed: Testbed, exp: Experiment) -> Result:
    """Play the experiment; returns the per-frame traces."""
    t_start = time.perf_counter()
    scenario, allocator, learner, rng = make_components(testbed, exp)
    horizon, n_paths = exp.horizon, testbed.n_paths
    lo, hi = testbed.reward_range
    span = hi - lo
    fail = testbed.fail_reward
    paths = np.zeros(horizon, dtype=np.int64)
    arms = np.zeros(horizon, dtype=np.int64)
    masks = np.ones((horizon, n_paths), dtype=bool)
    chosen = np.zeros(horizon)
    oracle = np.zeros(horizon)
    realized = np.zeros(horizon)
    stats = RouteStats.empty(n_paths)
    result = Result(paths, arms, masks, chosen, oracle, realized,
                    reward_range=testbed.reward_range)
    for epoch, t0 in enumerate(range(0, horizon, exp.epoch)):
        caps = tuple(int(c) for c in allocator.allocate(epoch, stats))
        if len(caps) != n_paths or sum(caps) != testbed.total_qubits:
            raise RuntimeError(f"allocator {exp.allocator} returned {caps} for {n_paths} paths and "
                               f"{testbed.total_qubits} qubits")
        result.alloc_frames.append(t0)
        result.alloc_capacities.append(list(caps))
        splits = [testbed.arms(p, c) for p, c in enumerate(caps)]
        expected = [testbed.expected(p, s) for p, s in enumerate(splits)]
        arm_sets = [ArmSet(s, testbed.context(p, s), e if learner.omniscient else None)
                    for p, (s, e) in enumerate(zip(splits, expected, strict=True))]
        learner.set_arms(arm_sets)
        best = np.array([e.max() for e in expected])
        result.best_path = int(best.argmax())  # the best path of the last allocation
        if epoch == 0:
            result.n_arms = sum(len(s) for s in splits)
        end = min(horizon, t0 + exp.epoch)
        for t in range(t0, end):
            mask = scenario.mask(t)
            masks[t] = mask
            path, arm = learner.select(t, mask if learner.omniscient else None)
            if mask[path]:
                r = testbed.draw(path, splits[path][arm], rng)
                chosen[t] = expected[path][arm]
            else:
                r = fail
                chosen[t] = fail
            learner.update(path, arm, (r - lo) / span)
            scenario.observe(t, path)
            stats.record(path, r > fail, r)
            paths[t], arms[t], realized[t] = path, arm, r
        seg = masks[t0:end]
        oracle[t0:end] = np.where(seg, best, fail).max(axis=1)
    result.seconds = time.perf_counter() - t_start
    return result


def experiment_from_params(params: Mapping[str, Any], seed: int) -> Experiment:
    """An :class:`Experiment` from a task's parameters (component params validated)."""
    from qray.netsim.registry import make_params

    def comp(kind: str, name: str, section: str) -> Any:
        return make_params(kind, name, params.get(section, {}).get(name), key=f"{section}.{name}")

    return Experiment(
        allocator=params["allocator"], scenario=params["scenario"], learner=params["learner"],
        horizon=int(params["horizon"]), epoch=int(params["epoch"]), seed=seed,
        scale=float(params.get("scale", 1.0)),
        allocator_params=comp("allocators", params["allocator"], "allocator_params"),
        scenario_params=comp("scenarios", params["scenario"], "scenario_params"),
        learner_params=comp("learners", params["learner"], "learner_params"),
    )
