"""The learner interface.

The runner calls ``set_arms`` at the start and whenever the allocator changes the
capacities (the arm sets change with them), then each frame ``select`` and ``update``
with the realized reward rescaled to [0, 1]. Only ``omniscient`` learners (the Oracle)
are given the expected rewards and the frame's attack mask.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.netsim.scenarios.base import NoParams


@dataclass(frozen=True)
class ArmSet:
    """The arms of one path at its current capacity.

    Attributes:
        splits: one row of per-link qubits per arm.
        context: one feature row per arm (for contextual learners).
        expected: expected rewards (given to omniscient learners only, else None).
    """

    splits: np.ndarray
    context: np.ndarray
    expected: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.splits)


class Learner:
    """Base class of all learners."""

    Params: type = NoParams
    omniscient = False
    #: the testbed's (low, high) reward bounds; the runner sets it (rewards seen are
    #: rescaled from it to [0, 1])
    reward_range: tuple[float, float] = (0.0, 1.0)

    def __init__(self, params: object, n_paths: int, horizon: int, rng: np.random.Generator,
                 scale: float = 1.0) -> None:
        self.params = params
        self.n_paths = n_paths
        self.horizon = horizon
        self.rng = rng
        self.scale = scale
        self.arms: list[ArmSet] = []

    def set_arms(self, arms: list[ArmSet]) -> None:
        """New arm sets (start of the run, or the allocator changed capacities)."""
        self.arms = arms

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        """(path, arm index) for frame ``t`` (``mask`` only for omniscient learners)."""
        raise NotImplementedError

    def update(self, path: int, arm: int, reward: float) -> None:
        """The realized reward (in [0, 1]) of the choice made this frame."""


class FlatLearner(Learner):
    """A learner over the flat list of every (path, arm). Its per-arm arrays (``ARRAYS``:
    pull count ``n`` and reward sum ``s``, plus a subclass's own) are kept across
    re-allocations: an arm is its path and its qubit split, so an arm that reappears after
    the capacities change gets its statistics back."""

    #: per-arm arrays and their initial values
    ARRAYS: dict[str, float] = {"n": 0.0, "s": 0.0}

    def __init__(self, params: object, n_paths: int, horizon: int, rng: np.random.Generator,
                 scale: float = 1.0) -> None:
        super().__init__(params, n_paths, horizon, rng, scale)
        self._memory: dict[tuple, tuple[float, ...]] = {}
        self.keys: list[tuple] = []
        for name in self.ARRAYS:
            setattr(self, name, np.zeros(0))

    def set_arms(self, arms: list[ArmSet]) -> None:
        names = list(self.ARRAYS)
        for i, key in enumerate(self.keys):
            self._memory[key] = tuple(float(getattr(self, n)[i]) for n in names)
        super().set_arms(arms)
        self.keys = [(p, tuple(int(q) for q in row)) for p, a in enumerate(arms) for row in a.splits]
        self.offset = np.cumsum([0] + [len(a) for a in arms])
        self.path_of = np.repeat(np.arange(len(arms)), [len(a) for a in arms])
        default = tuple(self.ARRAYS.values())
        stored = np.array([self._memory.get(k, default) for k in self.keys], dtype=float)
        for j, name in enumerate(names):
            setattr(self, name, stored[:, j].copy() if len(stored) else np.zeros(0))

    def unflatten(self, index: int) -> tuple[int, int]:
        path = int(self.path_of[index])
        return path, int(index - self.offset[path])

    def update(self, path: int, arm: int, reward: float) -> None:
        i = self.offset[path] + arm
        self.n[i] += 1
        self.s[i] += reward

    def untried(self) -> int | None:
        """A random arm never pulled, or None."""
        idle = np.flatnonzero(self.n == 0)
        return int(self.rng.choice(idle)) if idle.size else None


def ucb1_index(n: np.ndarray, s: np.ndarray, t: float, c: float = 2.0) -> np.ndarray:
    """UCB1 scores mean + sqrt(c ln t / n) (n > 0)."""
    return s / n + np.sqrt(c * np.log(max(t, 1.0)) / n)


class Exp3:
    """EXP3 over ``k`` choices with exploration ``gamma`` and step ``eta`` (log weights)."""

    def __init__(self, k: int, gamma: float, eta: float | None, rng: np.random.Generator) -> None:
        self.k = k
        self.gamma = gamma
        self.eta = eta if eta is not None else gamma / k
        self.rng = rng
        self.logw = np.zeros(k)
        self.p = np.full(k, 1.0 / k)

    def draw(self) -> int:
        w = np.exp(self.logw - self.logw.max())
        self.p = (1 - self.gamma) * w / w.sum() + self.gamma / self.k
        return int(self.rng.choice(self.k, p=self.p))

    def update(self, i: int, reward: float) -> None:
        self.logw[i] += self.eta * reward / self.p[i]
