"""Config of the ``netsim`` workload."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qray.config import SweepConfig, as_list, int_range
from qray.errors import ConfigError, UnknownNameError
from qray.netsim.bounds import (
    MAX_HORIZON,
    MAX_REPLICAS,
    MAX_RUNS,
    MAX_SCALE,
    MAX_SEED,
    check_range,
)
from qray.netsim.registry import (
    ALLOCATORS,
    KINDS,
    LEARNERS,
    PHYSICS,
    SCENARIOS,
    make_params,
    param_grid,
)

#: config section -> (registry kind, names)
PARAM_SECTIONS = {
    "models": ("physics", PHYSICS),
    "scenario_params": ("scenarios", SCENARIOS),
    "allocator_params": ("allocators", ALLOCATORS),
    "learner_params": ("learners", LEARNERS),
}


@dataclass(frozen=True)
class NetsimConfig(SweepConfig):
    """Quantum-network routing testbeds: physics x allocator x scenario x learner x horizon,
    ``runs`` replicates each.

    Attributes:
        physics: physics models (default, paper2, paper2_port, paper7, paper8, paper12).
        allocators: qubit allocators (Default, Random, Dynamic, ThompsonSampling).
        scenarios: attack scenarios (none, stochastic, markov, adaptive, onlineadaptive,
            huang_markov, huang_adaptive).
        learners: bandit learners (Oracle, Random, EpsilonGreedy, UCB1, ThompsonSampling,
            EXP3, LinUCB, EXPUCB, GNeuralUCB, EXPNeuralUCB, UCBPaper2).
        horizons: frames T per experiment: a list, a number or ``{start, stop, step}``.
        runs: independent replicates per grid point (different seeds, same horizon).
        epoch: frames between re-allocations.
        scale: replay-buffer capacity factor of the neural learners (capacity = T * scale);
            it changes nothing else.
        topology_seed: seed of the random topologies (paper2/7/8/12), the same for every
            experiment so that all learners face the same network.
        replicas: actors per physics model (the grid's points are spread over
            them; each builds its topology once).
        models: per physics model parameters, e.g. ``{default: {attempts: 4000}}``.
        scenario_params, allocator_params, learner_params: per component parameters,
            e.g. ``{stochastic: {rate: 0.1}}``, ``{UCB1: {c: 1.0}}``; a key its
            ``Params.GRID`` names may be a list, one grid point per value
            (``{UCBPaper2: {gamma: [0.5, 1, 2]}}``).
    """

    workload: str = "netsim"
    name: str = "netsim"
    physics: list[str] = field(default_factory=lambda: list(PHYSICS),
                               metadata={"normalize": as_list})
    allocators: list[str] = field(default_factory=lambda: ["Default"],
                                  metadata={"normalize": as_list})
    scenarios: list[str] = field(
        default_factory=lambda: ["none", "stochastic", "markov", "adaptive", "onlineadaptive"],
        metadata={"normalize": as_list})
    learners: list[str] = field(default_factory=lambda: list(LEARNERS),
                                metadata={"normalize": as_list})
    horizons: list[int] = field(default_factory=lambda: [4000],
                                metadata={"normalize": int_range})
    runs: int = 3
    epoch: int = 500
    scale: float = 1.0
    topology_seed: int = 0
    replicas: int = 2
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    scenario_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    allocator_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    learner_params: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        for key, table, label in (("physics", PHYSICS, "physics model"),
                                  ("allocators", ALLOCATORS, "allocator"),
                                  ("scenarios", SCENARIOS, "scenario"),
                                  ("learners", LEARNERS, "learner")):
            names = getattr(self, key)
            if not names:
                raise ConfigError(key, names, f"a non-empty list of: {', '.join(table)}")
            seen: set[str] = set()
            for i, name in enumerate(names):
                if name not in table:
                    raise UnknownNameError(f"{key}[{i}]", name, label, table)
                if name in seen:
                    raise ConfigError(f"{key}[{i}]", name, "each name once", problem="duplicate")
                seen.add(name)
        if not self.horizons:
            raise ConfigError("horizons", self.horizons, "a non-empty list of integers >= 1")
        for i, t in enumerate(self.horizons):
            if not isinstance(t, int) or t < 1:
                raise ConfigError(f"horizons[{i}]", t, "an integer >= 1 (frames)")
            check_range(f"horizons[{i}]", t, 1, MAX_HORIZON, integer=True, why="frames")
        if len(set(self.horizons)) != len(self.horizons):
            raise ConfigError("horizons", self.horizons, "each horizon once")
        if self.runs < 1:
            raise ConfigError("runs", self.runs, "an integer >= 1 (replicates)")
        check_range("runs", self.runs, 1, MAX_RUNS, integer=True, why="replicates")
        if self.epoch < 1:
            raise ConfigError("epoch", self.epoch, "an integer >= 1 (frames)")
        check_range("epoch", self.epoch, 1, MAX_HORIZON, integer=True,
                    why="frames between re-allocations")
        if self.scale <= 0:
            raise ConfigError("scale", self.scale, "a number > 0")
        check_range("scale", self.scale, 0.0, MAX_SCALE, low_open=True,
                    why="replay-buffer capacity = horizon * scale frames")
        if self.topology_seed < 0:
            raise ConfigError("topology_seed", self.topology_seed, "an integer >= 0")
        check_range("topology_seed", self.topology_seed, 0, MAX_SEED, integer=True)
        if self.replicas < 1:
            raise ConfigError("replicas", self.replicas, "an integer >= 1")
        check_range("replicas", self.replicas, 1, MAX_REPLICAS, integer=True,
                    why="actors per physics model")
        for section, (kind, table) in PARAM_SECTIONS.items():
            for name, raw in getattr(self, section).items():
                if name not in table:
                    raise UnknownNameError(f"{section}.{name}", name, KINDS[kind][0], table)
                for one in param_grid(kind, name, raw, key=f"{section}.{name}"):
                    make_params(kind, name, one, key=f"{section}.{name}")
        for key in self.resources:
            if key != "default" and key not in PHYSICS:
                raise UnknownNameError(f"resources.{key}", key, "physics model",
                                       [*PHYSICS, "default"])

    def result_keys(self) -> tuple[str, ...]:
        return (*super().result_keys(), "physics", "allocators", "scenarios", "learners",
                "horizons", "runs", "epoch", "scale", "topology_seed", *PARAM_SECTIONS)
