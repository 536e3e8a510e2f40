"""Config of the ``routing`` sweep: routers x coupling maps x circuit families x sizes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qray.config import SweepConfig, as_list, require
from qray.errors import ConfigError
from qray.routing.benchmarks import EVAL_SEED_BASE, VALIDATION_SEED_BASE, check_family
from qray.routing.graphs import coupling_graph

#: the learned router's name in rows (one exported policy per coupling map)
POLICY_ROUTER = "ppo"
CLASSICAL = ("lookahead", "sabre-1", "sabre-20")


@dataclass(frozen=True)
class RoutingConfig(SweepConfig):
    """Route the same seeded benchmark circuits with every router; verify every result.

    Attributes:
        routers: classical routers: ``lookahead`` and ``sabre-<trials>`` (SabreSwap,
            heuristic "decay", trivial layout, ``sabre_seed``).
        policies: exported learned routers, coupling map -> policy folder
            (``jobs/train_router.py``); rows name them ``ppo``.
        maps: coupling maps (grid-RxC, heavy-hex-D, line-N, ring-N).
        families: random, qft, ghz, qaoa_maxcut, mqt-<benchmark> (mqt.bench, if installed).
        sizes: logical qubits per circuit (sizes above a map's qubits are skipped).
        random_gates: CX gates of a ``random`` circuit.
        instances: seeded circuits per (family, size) for random and qaoa_maxcut.
        seed_base: key of the first instance (held out: training keys are < 10^6).
        sabre_seed: SabreSwap's seed.
        max_steps: step cap of step policies (null: the env's default).
        operator_max_qubits: also check ``Operator`` equivalence on maps this small.
    """

    workload: str = "routing"
    name: str = "routing"
    routers: list[str] = field(default_factory=lambda: list(CLASSICAL),
                               metadata={"normalize": as_list})
    policies: dict[str, str] = field(default_factory=dict)
    maps: list[str] = field(default_factory=lambda: ["grid-5x5"], metadata={"normalize": as_list})
    families: list[str] = field(default_factory=lambda: ["random"],
                                metadata={"normalize": as_list})
    sizes: list[int] = field(default_factory=lambda: [10], metadata={"normalize": as_list})
    random_gates: int = 50
    instances: int = 20
    seed_base: int = EVAL_SEED_BASE
    sabre_seed: int = 2024
    max_steps: int | None = None
    operator_max_qubits: int = 10

    def __post_init__(self) -> None:
        super().__post_init__()
        from qray.routing.routers import make_router

        for i, r in enumerate(self.routers):
            if r == POLICY_ROUTER or r.startswith("policy:"):
                raise ConfigError(f"routers[{i}]", r, "a classical router; put learned ones "
                                  "under policies (coupling map -> folder)")
            make_router(r, key=f"routers[{i}]")
        require(len(set(self.routers)) == len(self.routers), "routers", self.routers,
                "distinct routers")
        require(bool(self.maps), "maps", self.maps, "a non-empty list of coupling maps")
        for i, m in enumerate(self.maps):
            coupling_graph(m, f"maps[{i}]")
        for m in self.policies:
            require(m in self.maps, f"policies.{m}", self.policies[m],
                    f"a policy for one of maps {self.maps}")
        resolved = {m: str(Path(p).expanduser().resolve()) for m, p in self.policies.items()}
        object.__setattr__(self, "policies", resolved)  # actors may run elsewhere (cwd)
        require(bool(self.routers) or bool(self.policies), "routers", self.routers,
                "at least one router or one entry under policies")
        require(bool(self.families), "families", self.families, "a non-empty list")
        for i, f in enumerate(self.families):
            check_family(f, f"families[{i}]")
        require(bool(self.sizes), "sizes", self.sizes, "a non-empty list")
        for i, s in enumerate(self.sizes):
            require(isinstance(s, int) and s >= 2, f"sizes[{i}]", s, "an integer >= 2")
        for key, values in (("maps", self.maps), ("families", self.families),
                            ("sizes", self.sizes)):
            require(len(set(values)) == len(values), key, values, "distinct entries")
        widest = max(coupling_graph(m).number_of_nodes() for m in self.maps)
        require(min(self.sizes) <= widest, "sizes", self.sizes,
                f"sizes of at most {widest} qubits (the largest map's)")
        if "qaoa_maxcut" in self.families:
            require(min(self.sizes) >= 3, "sizes", self.sizes,
                    "sizes >= 3 with qaoa_maxcut (a regular graph needs 3 nodes)")
        require(0 <= self.sabre_seed < 2**63, "sabre_seed", self.sabre_seed,
                "an integer in [0, 2^63)")
        require(self.operator_max_qubits >= 0, "operator_max_qubits", self.operator_max_qubits,
                "an integer >= 0")
        require(self.seed_base + self.instances <= VALIDATION_SEED_BASE
                or self.seed_base >= VALIDATION_SEED_BASE + 1_000_000, "seed_base",
                self.seed_base, f"keys outside [{VALIDATION_SEED_BASE}, "
                f"{VALIDATION_SEED_BASE + 1_000_000}) (the routers' validation circuits)")
        require(self.random_gates >= 1, "random_gates", self.random_gates, "an integer >= 1")
        require(self.instances >= 1, "instances", self.instances, "an integer >= 1")
        require(self.seed_base >= 1_000_000, "seed_base", self.seed_base,
                "an integer >= 1000000 (training keys are below it)")
        require(self.max_steps is None or self.max_steps >= 1, "max_steps", self.max_steps,
                "null or an integer >= 1")

    def all_routers(self) -> list[str]:
        return [*self.routers, *([POLICY_ROUTER] if self.policies else [])]

    def result_keys(self) -> tuple[str, ...]:
        return ("workload", "maps", "families", "sizes", "random_gates", "instances",
                "seed_base", "sabre_seed", "max_steps")
