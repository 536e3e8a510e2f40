"""``ThompsonSampling``: a Beta posterior per (path, arm); rewards in [0, 1] update it as
Bernoulli draws with that success probability."""

from __future__ import annotations

import numpy as np

from qray.netsim.learners.base import FlatLearner


class ThompsonSampling(FlatLearner):
    """Beta-Bernoulli Thompson sampling over every (path, arm)."""

    def on_arms(self) -> None:
        # successes are kept separately from the reward sum (Bernoulli trick)
        if not hasattr(self, "_wins"):
            self._wins: dict[tuple, float] = {}
        self.wins = np.array([self._wins.get(k, 0.0) for k in self.keys])

    def set_arms(self, arms) -> None:  # noqa: ANN001
        for key, w in zip(self.keys, getattr(self, "wins", []), strict=False):
            self._wins[key] = w
        super().set_arms(arms)

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        theta = self.rng.beta(1 + self.wins, 1 + self.n - self.wins)
        return self.unflatten(int(np.argmax(theta)))

    def update(self, path: int, arm: int, reward: float) -> None:
        super().update(path, arm, reward)
        self.wins[self.offset[path] + arm] += float(self.rng.random() < reward)
