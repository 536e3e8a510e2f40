"""``Random``: a Dirichlet split of the qubits above each path's minimum, blended toward
the baseline as epochs pass: capacity = (1 - eps_k) baseline + eps_k random, with
eps_k = epsilon * decay^k."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.allocators.base import Allocator, RouteStats, proportional
from qray.netsim.bounds import check_range


@dataclass(frozen=True)
class RandomParams:
    """Attributes:
        epsilon: weight of the random split at the first epoch.
        decay: factor applied to epsilon at every epoch.
        concentration: Dirichlet concentration (1: uniform over splits).
    """

    epsilon: float = 1.0
    decay: float = 0.9
    concentration: float = 1.0

    def __post_init__(self) -> None:
        k = "allocator_params.Random."
        if not 0 <= self.epsilon <= 1:
            raise ConfigError(k + "epsilon", self.epsilon, "a number in [0, 1]")
        if not 0 <= self.decay <= 1:
            raise ConfigError(k + "decay", self.decay, "a number in [0, 1]")
        if self.concentration <= 0:
            raise ConfigError(k + "concentration", self.concentration, "a number > 0")
        check_range(k + "concentration", self.concentration, 0.0, 1e6, low_open=True,
                    why="Dirichlet concentration")


class RandomAllocator(Allocator):
    """Random capacities, decaying toward the baseline."""

    Params = RandomParams

    def allocate(self, epoch: int, stats: RouteStats) -> tuple[int, ...]:
        eps = self.params.epsilon * self.params.decay**epoch
        free = self.total - sum(self.minimum)
        rand = self.rng.dirichlet(np.full(len(self.minimum), self.params.concentration)) * free
        base = np.subtract(self.baseline, self.minimum)
        return proportional(self.minimum, self.total, (1 - eps) * base + eps * rand)
