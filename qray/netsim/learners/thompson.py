"""``ThompsonSampling``: a Beta posterior per (path, arm); rewards in [0, 1] update it as
Bernoulli draws with that success probability."""

from __future__ import annotations

import numpy as np

from qray.netsim.learners.base import FlatLearner


class ThompsonSampling(FlatLearner):
    """Beta-Bernoulli Thompson sampling over every (path, arm)."""

    ARRAYS = {**FlatLearner.ARRAYS, "wins": 0.0}  # Bernoulli successes per arm

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        theta = self.rng.beta(1 + self.wins, 1 + self.n - self.wins)
        return self.unflatten(int(np.argmax(theta)))

    def update(self, path: int, arm: int, reward: float) -> None:
        super().update(path, arm, reward)
        self.wins[self.offset[path] + arm] += float(self.rng.random() < reward)
