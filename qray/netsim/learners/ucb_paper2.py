"""``UCBPaper2``: UCB as Chaudhary, Li, Chowdhury (ICC 2023) run it: play each path once in
order, then argmax Q + gamma sqrt(2 ln t / N) on the raw reward (t the 1-based round, N the
path's pulls), ties to the lowest index.

``UCB1`` does not reduce to it exactly: it sees rewards rescaled to [0, 1], plays the
untried paths in random order and puts its constant inside the root (``c = 2 gamma^2 /
span^2`` gives the same index, span = 6 for the piecewise reward). Inside a path (more arms
when an allocator gives it more qubits) the same index picks the arm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from qray.netsim.bounds import check_range
from qray.netsim.learners.base import FlatLearner


@dataclass(frozen=True)
class UCBPaper2Params:
    """Attributes:
        gamma: exploration weight on the raw reward scale (the authors' script: 4; the
            paper's Table I: about 2). A list in the config is a grid axis.
    """

    gamma: float = 2.0
    #: keys that may be given as a list in the config (one grid point per value)
    GRID: ClassVar[tuple[str, ...]] = ("gamma",)

    def __post_init__(self) -> None:
        check_range("learner_params.UCBPaper2.gamma", self.gamma, 0.0, 1e6,
                    why="exploration weight")


def paper_index(q: np.ndarray, n: np.ndarray, t: int, gamma: float) -> np.ndarray:
    """Q + gamma sqrt(2 ln t / N) (every N > 0)."""
    return q + gamma * np.sqrt(2 * math.log(max(t, 1)) / n)


class UCBPaper2(FlatLearner):
    """The paper's UCB over paths (and the same index over a path's arms)."""

    Params = UCBPaper2Params

    def __init__(self, params: UCBPaper2Params, n_paths: int, horizon: int,
                 rng: np.random.Generator, scale: float = 1.0) -> None:
        super().__init__(params, n_paths, horizon, rng, scale)
        self.path_n = np.zeros(n_paths)
        self.path_s = np.zeros(n_paths)
        self.all_tried = False

    def raw(self, mean: np.ndarray) -> np.ndarray:
        """A mean of rescaled rewards on the testbed's own reward scale."""
        lo, hi = self.reward_range
        return lo + (hi - lo) * mean

    def select(self, t: int, mask: np.ndarray | None = None) -> tuple[int, int]:
        gamma = self.params.gamma
        idle = np.flatnonzero(self.path_n == 0) if not self.all_tried else ()
        if len(idle):
            path = int(idle[0])
        else:
            self.all_tried = True
            q = self.raw(self.path_s / self.path_n)
            path = int(paper_index(q, self.path_n, t + 1, gamma).argmax())
        lo, hi = self.offset[path], self.offset[path + 1]
        if hi - lo == 1:  # one arm per path (the paper's case): nothing more to choose
            return path, 0
        n, s = self.n[lo:hi], self.s[lo:hi]
        idle = np.flatnonzero(n == 0)
        if idle.size:
            return path, int(idle[0])
        return path, int(np.argmax(paper_index(self.raw(s / n), n, int(n.sum()), gamma)))

    def update(self, path: int, arm: int, reward: float) -> None:
        super().update(path, arm, reward)
        self.path_n[path] += 1
        self.path_s[path] += reward
