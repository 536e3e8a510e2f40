"""``Dynamic``: UCB over the paths' observed success rates; each path gets its minimum
plus a share of the remaining qubits proportional to its score
mean_success + c sqrt(2 ln N / n) (an unused path scores 1 + c sqrt(2 ln N))."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.allocators.base import Allocator, RouteStats, proportional
from qray.netsim.bounds import check_range


@dataclass(frozen=True)
class DynamicParams:
    """Attributes:
        c: exploration weight of the UCB score.
        power: capacity is proportional to score**power (1: to the score).
    """

    c: float = 0.5
    power: float = 1.0

    def __post_init__(self) -> None:
        if self.c < 0:
            raise ConfigError("allocator_params.Dynamic.c", self.c, "a number >= 0")
        if self.power <= 0:
            raise ConfigError("allocator_params.Dynamic.power", self.power, "a number > 0")
        check_range("allocator_params.Dynamic.c", self.c, 0.0, 1e6,
                    why="exploration weight")
        check_range("allocator_params.Dynamic.power", self.power, 0.0, 100.0, low_open=True,
                    why="capacity follows score**power")


class DynamicAllocator(Allocator):
    """Capacity follows the UCB scores of the paths' success rates."""

    Params = DynamicParams

    def scores(self, stats: RouteStats) -> np.ndarray:
        n = stats.attempts
        total = max(1.0, float(n.sum()))
        bonus = self.params.c * np.sqrt(2 * np.log(total + 1) / np.maximum(n, 1))
        mean = np.where(n > 0, stats.successes / np.maximum(n, 1), 1.0)
        return mean + bonus

    def allocate(self, epoch: int, stats: RouteStats) -> tuple[int, ...]:
        if stats.attempts.sum() == 0:
            return self.baseline
        return proportional(self.minimum, self.total, self.scores(stats) ** self.params.power)
