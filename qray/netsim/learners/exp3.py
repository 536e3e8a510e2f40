"""``EXP3``: exponential weights over every (path, arm), for adversarial rewards
(Auer et al. 2002); the weights of arms that reappear after a re-allocation are kept."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.learners.base import FlatLearner


@dataclass(frozen=True)
class EXP3Params:
    """Attributes:
        gamma: exploration mixing; the step is gamma / K.
    """

    gamma: float = 0.1

    def __post_init__(self) -> None:
        if not 0 < self.gamma <= 1:
            raise ConfigError("learner_params.EXP3.gamma", self.gamma, "a number in (0, 1]")


class EXP3(FlatLearner):
    """EXP3 over every (path, arm)."""

    Params = EXP3Params

    ARRAYS = {**FlatLearner.ARRAYS, "logw": 0.0}  # log weight per arm

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        k = len(self.logw)
        w = np.exp(self.logw - self.logw.max())
        self.p = (1 - self.params.gamma) * w / w.sum() + self.params.gamma / k
        i = int(np.searchsorted(np.cumsum(self.p), self.rng.random() * self.p.sum()))
        return self.unflatten(min(i, k - 1))

    def update(self, path: int, arm: int, reward: float) -> None:
        super().update(path, arm, reward)
        i = self.offset[path] + arm
        self.logw[i] += self.params.gamma / len(self.logw) * reward / self.p[i]
