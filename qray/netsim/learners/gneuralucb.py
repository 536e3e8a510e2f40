"""``GNeuralUCB``: UCB1 over the paths, NeuralUCB over the arms inside the chosen path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.bounds import check_range
from qray.netsim.learners.base import ArmSet, Learner, ucb1_index
from qray.netsim.learners.neural import NeuralParams, PathNeuralUCB


@dataclass(frozen=True)
class GNeuralUCBParams(NeuralParams):
    """NeuralUCB's keys plus ``c``, the UCB1 exploration constant over paths."""

    c: float = 2.0

    def __post_init__(self) -> None:
        self.validate("GNeuralUCB")
        if self.c < 0:
            raise ConfigError("learner_params.GNeuralUCB.c", self.c, "a number >= 0")
        check_range("learner_params.GNeuralUCB.c", self.c, 0.0, 1e6,
                    why="UCB1 exploration constant over paths")


class GNeuralUCB(Learner):
    """Two levels: UCB1 picks the path, NeuralUCB the arm."""

    Params = GNeuralUCBParams

    def __init__(self, params: GNeuralUCBParams, n_paths: int, horizon: int,
                 rng: np.random.Generator, scale: float = 1.0) -> None:
        super().__init__(params, n_paths, horizon, rng, scale)
        self.n = np.zeros(n_paths)
        self.s = np.zeros(n_paths)
        self.inner: PathNeuralUCB | None = None

    def set_arms(self, arms: list[ArmSet]) -> None:
        super().set_arms(arms)
        if self.inner is None:
            self.inner = PathNeuralUCB(self.n_paths, arms[0].context.shape[1], self.params,
                                       int(self.horizon * self.scale), self.rng)

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        idle = np.flatnonzero(self.n == 0)
        if idle.size:
            path = int(self.rng.choice(idle))
        else:
            path = int(np.argmax(ucb1_index(self.n, self.s, t + 1, self.params.c)))
        return path, self.inner.choose(path, self.arms[path].context)

    def update(self, path: int, arm: int, reward: float) -> None:
        self.n[path] += 1
        self.s[path] += reward
        self.inner.update(path, self.arms[path].context[arm], reward, arm)
