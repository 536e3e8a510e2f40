"""``adaptive``: the attacker watches the learner. A path is denied with probability
``base + weight * share``, where ``share`` is the path's share of the learner's last
``window`` choices (capped at ``cap``). The studied code silently fell back to i.i.d.
attacks here; this scenario sees every choice through ``observe``."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.bounds import MAX_HORIZON, check_range
from qray.netsim.scenarios.base import Scenario, check_probability


@dataclass(frozen=True)
class AdaptiveParams:
    """Attributes:
        base: attack probability of a path the learner never chose.
        weight: added per unit share of the path in the learner's recent choices.
        window: how many recent choices the attacker remembers.
        cap: highest attack probability.
    """

    base: float = 0.25
    weight: float = 0.5
    window: int = 100
    cap: float = 0.9

    def __post_init__(self) -> None:
        check_probability("scenario_params.adaptive.base", self.base)
        check_probability("scenario_params.adaptive.cap", self.cap)
        if self.weight < 0:
            raise ConfigError("scenario_params.adaptive.weight", self.weight, "a number >= 0")
        if self.window < 1:
            raise ConfigError("scenario_params.adaptive.window", self.window, "an integer >= 1")
        check_range("scenario_params.adaptive.window", self.window, 1, MAX_HORIZON,
                    integer=True, why="frames of recent choices remembered")
        check_range("scenario_params.adaptive.weight", self.weight, 0.0, 1e6)


class Adaptive(Scenario):
    """Attacks follow the learner's recent choices."""

    Params = AdaptiveParams
    adaptive = True

    def __init__(self, params: AdaptiveParams, n_paths: int, horizon: int,
                 rng: np.random.Generator) -> None:
        super().__init__(params, n_paths, horizon, rng)
        self.recent: deque[int] = deque(maxlen=params.window)
        self.counts = np.zeros(n_paths)

    def rates(self) -> np.ndarray:
        """Current attack probability of each path."""
        share = self.counts / max(1, len(self.recent))
        return np.minimum(self.params.base + self.params.weight * share, self.params.cap)

    def mask(self, t: int) -> np.ndarray:
        return self.rng.random(self.n_paths) >= self.rates()

    def observe(self, t: int, path: int) -> None:
        if len(self.recent) == self.recent.maxlen:
            self.counts[self.recent[0]] -= 1
        self.recent.append(path)
        self.counts[path] += 1
