"""``EpsilonGreedy``: the best empirical arm, or with probability epsilon a random one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.learners.base import FlatLearner


@dataclass(frozen=True)
class EpsilonGreedyParams:
    """Attributes:
        epsilon: exploration probability.
    """

    epsilon: float = 0.1

    def __post_init__(self) -> None:
        if not 0 <= self.epsilon <= 1:
            raise ConfigError("learner_params.EpsilonGreedy.epsilon", self.epsilon,
                              "a probability in [0, 1]")


class EpsilonGreedy(FlatLearner):
    """epsilon-greedy over every (path, arm)."""

    Params = EpsilonGreedyParams

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        idle = self.untried()
        if idle is not None:
            return self.unflatten(idle)
        if self.rng.random() < self.params.epsilon:
            return self.unflatten(int(self.rng.integers(len(self.n))))
        return self.unflatten(int(np.argmax(self.s / self.n)))
