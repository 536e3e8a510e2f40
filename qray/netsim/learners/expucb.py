"""``EXPUCB``: EXP3 over the paths (robust to the attacker) and UCB1 over the arms inside
the chosen path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.bounds import check_range
from qray.netsim.learners.base import Exp3, FlatLearner, ucb1_index


@dataclass(frozen=True)
class EXPUCBParams:
    """Attributes:
        gamma: EXP3 exploration over paths.
        eta: EXP3 step (null: gamma / R).
        c: UCB1 exploration constant inside a path.
    """

    gamma: float = 0.1
    eta: float | None = None
    c: float = 2.0

    def __post_init__(self) -> None:
        if not 0 < self.gamma <= 1:
            raise ConfigError("learner_params.EXPUCB.gamma", self.gamma, "a number in (0, 1]")
        if self.eta is not None and self.eta <= 0:
            raise ConfigError("learner_params.EXPUCB.eta", self.eta, "a number > 0 or null")
        if self.eta is not None:
            check_range("learner_params.EXPUCB.eta", self.eta, 0.0, 10.0, low_open=True,
                        why="EXP3 step over paths, or null for gamma / paths")
        if self.c < 0:
            raise ConfigError("learner_params.EXPUCB.c", self.c, "a number >= 0")
        check_range("learner_params.EXPUCB.c", self.c, 0.0, 1e6,
                    why="UCB1 exploration constant")


class EXPUCB(FlatLearner):
    """Two levels: EXP3 picks the path, UCB1 the arm."""

    Params = EXPUCBParams

    def __init__(self, params: EXPUCBParams, n_paths: int, horizon: int,
                 rng: np.random.Generator, scale: float = 1.0) -> None:
        super().__init__(params, n_paths, horizon, rng, scale)
        self.paths = Exp3(n_paths, params.gamma, params.eta, rng)

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        path = self.paths.draw()
        lo, hi = self.offset[path], self.offset[path + 1]
        n, s = self.n[lo:hi], self.s[lo:hi]
        idle = np.flatnonzero(n == 0)
        if idle.size:
            return path, int(self.rng.choice(idle))
        return path, int(np.argmax(ucb1_index(n, s, n.sum(), self.params.c)))

    def update(self, path: int, arm: int, reward: float) -> None:
        super().update(path, arm, reward)
        self.paths.update(path, reward)
