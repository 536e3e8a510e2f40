"""``UCB1`` (Auer et al. 2002) on two levels: UCB1 over the paths (a path's reward is that
of the arm played on it, as in the paper2 study's path selection), then UCB1 over the arms
inside the chosen path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.bounds import check_range
from qray.netsim.learners.base import FlatLearner, ucb1_index


@dataclass(frozen=True)
class UCB1Params:
    """Attributes:
        c: exploration constant, mean + sqrt(c ln t / n) (2 is Auer's UCB1).
    """

    c: float = 2.0

    def __post_init__(self) -> None:
        if self.c < 0:
            raise ConfigError("learner_params.UCB1.c", self.c, "a number >= 0")
        check_range("learner_params.UCB1.c", self.c, 0.0, 1e6, why="exploration constant")


class UCB1(FlatLearner):
    """UCB1 over paths, then UCB1 over the chosen path's arms."""

    Params = UCB1Params

    def __init__(self, params: UCB1Params, n_paths: int, horizon: int,
                 rng: np.random.Generator, scale: float = 1.0) -> None:
        super().__init__(params, n_paths, horizon, rng, scale)
        self.path_n = np.zeros(n_paths)
        self.path_s = np.zeros(n_paths)

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        idle = np.flatnonzero(self.path_n == 0)
        if idle.size:
            path = int(self.rng.choice(idle))
        else:
            path = int(np.argmax(ucb1_index(self.path_n, self.path_s, t + 1, self.params.c)))
        lo, hi = self.offset[path], self.offset[path + 1]
        n, s = self.n[lo:hi], self.s[lo:hi]
        idle = np.flatnonzero(n == 0)
        if idle.size:
            return path, int(self.rng.choice(idle))
        return path, int(np.argmax(ucb1_index(n, s, n.sum(), self.params.c)))

    def update(self, path: int, arm: int, reward: float) -> None:
        super().update(path, arm, reward)
        self.path_n[path] += 1
        self.path_s[path] += reward
