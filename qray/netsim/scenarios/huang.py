"""Huang, Wang, Xu's attackers: exactly one path is denied in every frame.

``huang_markov`` (oblivious): the denied path follows a Markov chain over the paths (stay
with probability ``stay``, else move to a uniformly chosen other path).
``huang_adaptive``: the denied path is the one the learner chose in the previous frame
(a uniformly random one in the first frame).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.netsim.scenarios.base import Oblivious, Scenario, check_probability


@dataclass(frozen=True)
class HuangMarkovParams:
    """Attributes:
        stay: probability that the attacker stays on the same path next frame.
    """

    stay: float = 0.7

    def __post_init__(self) -> None:
        check_probability("scenario_params.huang_markov.stay", self.stay)


class HuangMarkov(Oblivious):
    """One path denied per frame, chosen by a Markov chain."""

    Params = HuangMarkovParams

    def generate(self) -> np.ndarray:
        out = np.ones((self.horizon, self.n_paths), dtype=bool)
        r = self.n_paths
        path = int(self.rng.integers(r))
        u = self.rng.random(self.horizon)
        jump = self.rng.integers(1, max(2, r), size=self.horizon)
        for t in range(self.horizon):
            if t and r > 1 and u[t] >= self.params.stay:
                path = (path + int(jump[t])) % r
            out[t, path] = False
        return out


class HuangAdaptive(Scenario):
    """One path denied per frame: the learner's previous choice."""

    adaptive = True

    def __init__(self, params: object, n_paths: int, horizon: int,
                 rng: np.random.Generator) -> None:
        super().__init__(params, n_paths, horizon, rng)
        self.last = int(rng.integers(n_paths))

    def mask(self, t: int) -> np.ndarray:
        out = np.ones(self.n_paths, dtype=bool)
        out[self.last] = False
        return out

    def observe(self, t: int, path: int) -> None:
        self.last = path
