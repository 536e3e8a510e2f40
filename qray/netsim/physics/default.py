"""``default``: Huang, Wang, Xu (arXiv 2411.00316), the EXPNeuralUCB paper's testbed.

Four abstract paths with 1, 1, 2, 2 repeaters (2, 2, 3, 3 links). A link's per-slot
success is p = 1 - (1 - p_e)^A over A attempts; an arm splits the path's capacity over its
links (zeros allowed) and delivers when every link does: reward = prod_l [1 - (1-p_l)^q_l].
The studied code used A = 100, which made every reward about 0.003; A = 4000 here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qray.errors import ConfigError
from qray.netsim.physics.base import PathInfo, Testbed, check_range, multiplexed

#: most entanglement attempts per slot (the paper uses 4000)
MAX_ATTEMPTS = 10**9

#: per-attempt link success of each path's links (the paper's four paths)
LINK_SUCCESS = (1.5e-4, 1e-4, 2e-4, 1.5e-4)
LINKS = (2, 2, 3, 3)
CAPACITIES = {"busy": (8, 10, 8, 9), "idle": (9, 11, 11, 12)}


@dataclass(frozen=True)
class DefaultParams:
    """Attributes:
        attempts: entanglement attempts per slot (A).
        capacity: ``busy`` (8, 10, 8, 9) or ``idle`` (9, 11, 11, 12) qubits per path.
        link_success: per-attempt success of each path's links.
    """

    attempts: int = 4000
    capacity: str = "busy"
    link_success: list[float] = field(default_factory=lambda: list(LINK_SUCCESS))

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ConfigError("models.default.attempts", self.attempts, "an integer >= 1")
        check_range("models.default.attempts", self.attempts, 1, MAX_ATTEMPTS, integer=True,
                    why="entanglement attempts per slot")
        if self.capacity not in CAPACITIES:
            raise ConfigError("models.default.capacity", self.capacity, "busy or idle")
        if len(self.link_success) != len(LINKS) or not all(0 < p < 1 for p in self.link_success):
            raise ConfigError("models.default.link_success", self.link_success,
                              "four probabilities in (0, 1), one per path")


class DefaultTestbed(Testbed):
    """The four-path testbed; its topology does not depend on the seed."""

    Params = DefaultParams

    def __init__(self, params: DefaultParams, seed: int = 0) -> None:
        paths = [PathInfo(nodes=tuple(range(n + 1)), distance=float(n)) for n in LINKS]
        super().__init__("default", paths, CAPACITIES[params.capacity], min_per_link=0,
                         info={"attempts": params.attempts})
        pe = np.asarray(params.link_success, dtype=float)
        #: per-slot success of a link with one qubit, per path
        self.slot_success = 1.0 - (1.0 - pe) ** params.attempts

    def expected(self, path: int, arms: np.ndarray) -> np.ndarray:
        return multiplexed(self.slot_success[path], arms).prod(axis=1)

    def draw(self, path: int, arm: np.ndarray, rng: np.random.Generator) -> float:
        ok = rng.random(arm.size) < multiplexed(self.slot_success[path], arm)
        return float(ok.all())
