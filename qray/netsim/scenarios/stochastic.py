"""``stochastic``: each path is denied independently in each frame with a fixed rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.netsim.scenarios.base import Oblivious, check_probability


@dataclass(frozen=True)
class StochasticParams:
    """Attributes:
        rate: probability that a path is denied in a frame.
    """

    rate: float = 0.0625

    def __post_init__(self) -> None:
        check_probability("scenario_params.stochastic.rate", self.rate)


class Stochastic(Oblivious):
    """i.i.d. attacks."""

    Params = StochasticParams

    def generate(self) -> np.ndarray:
        return self.rng.random((self.horizon, self.n_paths)) >= self.params.rate
