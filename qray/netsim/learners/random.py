"""``Random``: a uniformly random path, then a uniformly random arm in it."""

from __future__ import annotations

import numpy as np

from qray.netsim.learners.base import Learner


class RandomLearner(Learner):
    """The no-learning baseline."""

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        path = int(self.rng.integers(self.n_paths))
        return path, int(self.rng.integers(len(self.arms[path])))
