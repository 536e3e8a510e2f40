"""``onlineadaptive``: with probability ``burst`` every path is denied in a frame;
otherwise the path the learner chose in the previous frame is denied with probability
``follow``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.netsim.scenarios.base import Scenario, check_probability


@dataclass(frozen=True)
class OnlineAdaptiveParams:
    """Attributes:
        burst: probability of a frame in which every path is denied.
        follow: probability that the learner's previous path is denied otherwise.
    """

    burst: float = 0.3
    follow: float = 0.5

    def __post_init__(self) -> None:
        check_probability("scenario_params.onlineadaptive.burst", self.burst)
        check_probability("scenario_params.onlineadaptive.follow", self.follow)


class OnlineAdaptive(Scenario):
    """Bursts plus chasing the learner's last path."""

    Params = OnlineAdaptiveParams
    adaptive = True

    def __init__(self, params: OnlineAdaptiveParams, n_paths: int, horizon: int,
                 rng: np.random.Generator) -> None:
        super().__init__(params, n_paths, horizon, rng)
        self.last: int | None = None

    def mask(self, t: int) -> np.ndarray:
        out = np.ones(self.n_paths, dtype=bool)
        u, v = self.rng.random(2)
        if u < self.params.burst:
            out[:] = False
        elif self.last is not None and v < self.params.follow:
            out[self.last] = False
        return out

    def observe(self, t: int, path: int) -> None:
        self.last = path
