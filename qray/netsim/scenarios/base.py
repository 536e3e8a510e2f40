"""The scenario interface.

A scenario is built per experiment with its own random stream. Each frame the runner asks
``mask(t)`` (one bool per path, True = delivered) before the learner's choice is revealed,
then tells ``observe(t, path)`` the path the learner chose. Oblivious scenarios precompute
the whole mask; adaptive ones build each frame's mask from the choices observed so far.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class NoParams:
    """This scenario has no parameters."""


class Scenario:
    """Base class: no attack."""

    Params: type = NoParams
    adaptive = False

    def __init__(self, params: object, n_paths: int, horizon: int,
                 rng: np.random.Generator) -> None:
        self.params = params
        self.n_paths = n_paths
        self.horizon = horizon
        self.rng = rng
        self._all = np.ones(n_paths, dtype=bool)

    def mask(self, t: int) -> np.ndarray:
        """Which paths deliver in frame ``t``."""
        return self._all

    def observe(self, t: int, path: int) -> None:
        """The learner chose ``path`` in frame ``t``."""


class Oblivious(Scenario):
    """A scenario whose whole mask is drawn up front (it ignores the learner)."""

    def __init__(self, params: object, n_paths: int, horizon: int,
                 rng: np.random.Generator) -> None:
        super().__init__(params, n_paths, horizon, rng)
        self._mask = self.generate()

    def generate(self) -> np.ndarray:
        raise NotImplementedError

    def mask(self, t: int) -> np.ndarray:
        return self._mask[t]


def check_probability(key: str, value: float) -> None:
    """A ConfigError unless ``value`` is in [0, 1]."""
    from qray.errors import ConfigError

    if not 0.0 <= value <= 1.0:
        raise ConfigError(key, value, "a probability in [0, 1]")
