"""``markov``: each path's attack state follows its own two-state Markov chain."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.netsim.scenarios.base import Oblivious, check_probability


@dataclass(frozen=True)
class MarkovParams:
    """Attributes:
        stay: probability that a path keeps its state (attacked or not) from one frame
            to the next.
        initial: probability that a path starts attacked.
    """

    stay: float = 0.7
    initial: float = 0.25

    def __post_init__(self) -> None:
        check_probability("scenario_params.markov.stay", self.stay)
        check_probability("scenario_params.markov.initial", self.initial)


class Markov(Oblivious):
    """Bursty attacks, one two-state chain per path."""

    Params = MarkovParams

    def generate(self) -> np.ndarray:
        attacked = np.empty((self.horizon, self.n_paths), dtype=bool)
        state = self.rng.random(self.n_paths) < self.params.initial
        flips = self.rng.random((self.horizon, self.n_paths)) >= self.params.stay
        for t in range(self.horizon):
            if t:
                state = state ^ flips[t]
            attacked[t] = state
        return ~attacked
