"""The allocator interface and the route statistics it decides from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qray.netsim.scenarios.base import NoParams


@dataclass
class RouteStats:
    """What the network observed per path so far (the allocators' input).

    Attributes:
        attempts: frames in which the path was used.
        successes: of those, frames in which it delivered (not denied, links up).
        reward: summed realized reward.
    """

    attempts: np.ndarray
    successes: np.ndarray
    reward: np.ndarray = field(default=None)  # type: ignore[assignment]

    @classmethod
    def empty(cls, n_paths: int) -> RouteStats:
        return cls(np.zeros(n_paths), np.zeros(n_paths), np.zeros(n_paths))

    def record(self, path: int, success: bool, reward: float) -> None:
        self.attempts[path] += 1
        self.successes[path] += success
        self.reward[path] += reward


def proportional(minimum: tuple[int, ...], total: int, weights: np.ndarray) -> tuple[int, ...]:
    """Each path its minimum plus a share of the remaining qubits proportional to
    ``weights`` (largest remainders get the leftovers; ties go to the lower index)."""
    free = total - sum(minimum)
    w = np.clip(np.asarray(weights, dtype=float), 0, None)
    w = np.ones_like(w) if w.sum() <= 0 or not np.isfinite(w).all() else w
    share = free * w / w.sum()
    base = np.floor(share).astype(int)
    left = free - int(base.sum())
    order = np.lexsort((np.arange(len(w)), -(share - base)))
    base[order[:left]] += 1
    return tuple(int(m + b) for m, b in zip(minimum, base, strict=True))


class Allocator:
    """Base class: the testbed's baseline capacities, always."""

    Params: type = NoParams

    def __init__(self, params: object, baseline: tuple[int, ...], minimum: tuple[int, ...],
                 rng: np.random.Generator) -> None:
        self.params = params
        self.baseline = tuple(baseline)
        self.minimum = tuple(minimum)
        self.total = int(sum(baseline))
        self.rng = rng

    def allocate(self, epoch: int, stats: RouteStats) -> tuple[int, ...]:
        """Capacities for the next epoch (``epoch`` 0 is the start, with empty stats)."""
        return self.baseline
