"""``EXPNeuralUCB`` (Huang, Wang, Xu): EXP3 over the paths (gamma = 0.01, eta = 0.05),
robust to the attacker, and NeuralUCB over the arms inside the chosen path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.bounds import check_range
from qray.netsim.learners.base import ArmSet, Exp3, Learner
from qray.netsim.learners.neural import NeuralParams, PathNeuralUCB


@dataclass(frozen=True)
class EXPNeuralUCBParams(NeuralParams):
    """NeuralUCB's keys plus the EXP3 ``gamma`` and ``eta`` over paths."""

    gamma: float = 0.01
    eta: float = 0.05

    def __post_init__(self) -> None:
        self.validate("EXPNeuralUCB")
        if not 0 < self.gamma <= 1:
            raise ConfigError("learner_params.EXPNeuralUCB.gamma", self.gamma,
                              "a number in (0, 1]")
        if self.eta <= 0:
            raise ConfigError("learner_params.EXPNeuralUCB.eta", self.eta, "a number > 0")
        check_range("learner_params.EXPNeuralUCB.eta", self.eta, 0.0, 10.0, low_open=True,
                    why="EXP3 step over paths")


class EXPNeuralUCB(Learner):
    """Two levels: EXP3 picks the path, NeuralUCB the arm."""

    Params = EXPNeuralUCBParams

    def __init__(self, params: EXPNeuralUCBParams, n_paths: int, horizon: int,
                 rng: np.random.Generator, scale: float = 1.0) -> None:
        super().__init__(params, n_paths, horizon, rng, scale)
        self.paths = Exp3(n_paths, params.gamma, params.eta, rng)
        self.inner: PathNeuralUCB | None = None

    def set_arms(self, arms: list[ArmSet]) -> None:
        super().set_arms(arms)
        if self.inner is None:
            self.inner = PathNeuralUCB(self.n_paths, arms[0].context.shape[1], self.params,
                                       int(self.horizon * self.scale), self.rng)

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        path = self.paths.draw()
        return path, self.inner.choose(path, self.arms[path].context)

    def update(self, path: int, arm: int, reward: float) -> None:
        self.paths.update(path, reward)
        self.inner.update(path, self.arms[path].context[arm], reward, arm)
