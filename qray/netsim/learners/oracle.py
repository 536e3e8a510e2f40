"""``Oracle``: knows the expected rewards and the frame's attack mask; plays the best arm
of the best undenied path (any path when all are denied: they are all worth the fail
reward then). No frame cap, no retry loop."""

from __future__ import annotations

import numpy as np

from qray.netsim.learners.base import ArmSet, Learner


class Oracle(Learner):
    """The per-frame optimum; its efficiency is 100 % by construction."""

    omniscient = True

    def set_arms(self, arms: list[ArmSet]) -> None:
        super().set_arms(arms)
        self.best_arm = np.array([int(np.argmax(a.expected)) for a in arms])
        self.best = np.array([float(np.max(a.expected)) for a in arms])

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        value = self.best if mask is None else np.where(mask, self.best, -np.inf)
        path = int(np.argmax(value))
        return path, int(self.best_arm[path])
