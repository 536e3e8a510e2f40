"""``LinUCB``: a shared linear model of the reward in the arms' context features
(Li et al. 2010): theta^T x + alpha sqrt(x^T A^-1 x), A^-1 kept by Sherman-Morrison."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.bounds import check_range
from qray.netsim.learners.base import ArmSet, Learner


@dataclass(frozen=True)
class LinUCBParams:
    """Attributes:
        alpha: exploration weight.
        lam: ridge regularization (A starts as lam I).
    """

    alpha: float = 0.5
    lam: float = 1.0

    def __post_init__(self) -> None:
        if self.alpha < 0:
            raise ConfigError("learner_params.LinUCB.alpha", self.alpha, "a number >= 0")
        if self.lam <= 0:
            raise ConfigError("learner_params.LinUCB.lam", self.lam, "a number > 0")
        check_range("learner_params.LinUCB.alpha", self.alpha, 0.0, 1e6,
                    why="exploration weight")
        check_range("learner_params.LinUCB.lam", self.lam, 0.0, 1e6, low_open=True,
                    why="ridge regularization")


class LinUCB(Learner):
    """LinUCB over every (path, arm) with one shared parameter vector."""

    Params = LinUCBParams

    def set_arms(self, arms: list[ArmSet]) -> None:
        super().set_arms(arms)
        self.X = np.vstack([a.context for a in arms])
        self.offset = np.cumsum([0] + [len(a) for a in arms])
        self.path_of = np.repeat(np.arange(len(arms)), [len(a) for a in arms])
        if not hasattr(self, "Ainv"):
            d = self.X.shape[1]
            self.Ainv = np.eye(d) / self.params.lam
            self.b = np.zeros(d)

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        theta = self.Ainv @ self.b
        width = np.sqrt(np.maximum(((self.X @ self.Ainv) * self.X).sum(axis=1), 0.0))
        i = int(np.argmax(self.X @ theta + self.params.alpha * width))
        path = int(self.path_of[i])
        return path, i - int(self.offset[path])

    def update(self, path: int, arm: int, reward: float) -> None:
        x = self.X[self.offset[path] + arm]
        v = self.Ainv @ x
        self.Ainv -= np.outer(v, v) / (1.0 + x @ v)
        self.b += reward * x
