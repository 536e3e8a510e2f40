"""Config of the ``routing`` sweep: routers x coupling maps x circuit families x sizes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qray.config import SweepConfig, as_list, canonical_list, require
from qray.errors import ConfigError
from qray.routing.circuits.benchmarks import (
    EVAL_SEED_BASE,
    FAMILIES,
    MQT_PREFIX,
    VALIDATION_SEED_BASE,
    check_family,
    family_deterministic,
    mqt_available,
)
from qray.routing.circuits.graphs import MAX_MAP_QUBITS, canonical_map, coupling_graph
from qray.routing.circuits.verify import check_operator_max_qubits

#: the learned router's name in rows (one exported policy per coupling map)
POLICY_ROUTER = "ppo"


def is_policy_router(router: str) -> bool:
    """``ppo`` or ``ppo-search-<w>``: rows of the exported policies."""
    return router == POLICY_ROUTER or router.startswith(POLICY_ROUTER + "-search-")
CLASSICAL = ("lookahead", "sabre-1", "sabre-20")
#: CX gates of one ``random`` circuit at most (a routed 100k-gate circuit takes minutes)
MAX_RANDOM_GATES = 100_000
#: seeded circuits per (family, size) at most
MAX_INSTANCES = 100_000
#: tasks (rows) of one sweep at most: the plan holds every task in memory (~1 KB each)
MAX_TASKS = 1_000_000


@dataclass(frozen=True)
class RoutingConfig(SweepConfig):
    """Route the same seeded benchmark circuits with every router; verify every result.

    Attributes:
        routers: classical routers: ``lookahead`` and ``sabre-<trials>`` (SabreSwap,
            heuristic "decay", trivial layout, ``sabre_seed``).
        policies: exported learned routers, coupling map -> policy folder
            (``jobs/train_router.py``); rows name them ``ppo``.
        search_widths: for front-layer policies (``env.mode: front``), also route with
            the search over each policy's ``w`` best SWAPs (its own rollouts), rows
            ``ppo-search-<w>``; the search budget per step is ``w`` rollouts.
        search_horizon: SWAPs a rollout runs before the rest is estimated by the front
            layer's remaining distance (null, the default: to the end; the estimate ignores
            the gates behind the front, so a short horizon misjudges rollouts).
        maps: coupling maps (grid-RxC, heavy-hex-D, line-N, ring-N), each of at most
            ``MAX_MAP_QUBITS`` (1000) qubits.
        families: random, qft, ghz, qaoa_maxcut, mqt-<benchmark> (one of
            ``benchmarks.MQT_BENCHMARKS``; skipped where mqt.bench is not installed).
        sizes: logical qubits per circuit, each at most the widest map's qubits (on a
            narrower map a larger size is skipped).
        random_gates: CX gates of a ``random`` circuit (1 to ``MAX_RANDOM_GATES``).
        instances: seeded circuits per (family, size) for random and qaoa_maxcut (1 to
            ``MAX_INSTANCES``); the whole grid has at most ``MAX_TASKS`` tasks and at least
            one (an empty grid, e.g. only mqt-* families without mqt.bench, is refused).
        seed_base: key of the first instance (held out: training keys are < 10^6).
        sabre_seed: SabreSwap's seed.
        max_steps: step cap of step policies (null: the env's default).
        operator_max_qubits: also check ``Operator`` equivalence on maps this small (at
            most ``qray.routing.circuits.verify.OPERATOR_QUBIT_LIMIT`` = 12: an Operator is a dense
            2^n x 2^n matrix, 256 MiB at 12 qubits).
    """

    workload: str = "routing"
    name: str = "routing"
    routers: list[str] = field(default_factory=lambda: list(CLASSICAL),
                               metadata={"normalize": as_list})
    policies: dict[str, str] = field(default_factory=dict)
    search_widths: list[int] = field(default_factory=list, metadata={"normalize": as_list})
    search_horizon: int | None = None
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
        from qray.routing.routers import canonical_router, make_router, parse_router

        # one router or map spelled two ways is one grid point: names are canonical
        require(bool(self.maps), "maps", self.maps, "a non-empty list of coupling maps")
        object.__setattr__(self, "maps", canonical_list(self.maps, "maps", canonical_map))
        object.__setattr__(self, "routers", as_list("routers", self.routers))
        for i, r in enumerate(self.routers):
            if is_policy_router(str(r)) or "<folder>" in parse_router(r, f"routers[{i}]")[0]:
                raise ConfigError(f"routers[{i}]", r, "a classical router; put learned ones "
                                  "under policies (coupling map -> folder)")
        object.__setattr__(self, "routers",
                           canonical_list(self.routers, "routers", canonical_router))
        object.__setattr__(self, "policies", {_map_key(m): p for m, p in self.policies.items()})
        for i, r in enumerate(self.routers):
            make_router(r, key=f"routers[{i}]")
        require(len(set(self.routers)) == len(self.routers), "routers", self.routers,
                "distinct routers")
        for i, w in enumerate(self.search_widths):
            require(isinstance(w, int) and not isinstance(w, bool) and 1 <= w <= 64,
                    f"search_widths[{i}]", w, "an integer in [1, 64]")
        require(len(set(self.search_widths)) == len(self.search_widths), "search_widths",
                self.search_widths, "distinct widths")
        require(self.search_horizon is None or (isinstance(self.search_horizon, int)
                                                and self.search_horizon >= 1),
                "search_horizon", self.search_horizon, "null or an integer >= 1")
        require(bool(self.maps), "maps", self.maps, "a non-empty list of coupling maps")
        widths = {m: coupling_graph(m, f"maps[{i}]").number_of_nodes()
                  for i, m in enumerate(self.maps)}
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
        widest = max(widths.values())
        for i, s in enumerate(self.sizes):
            require(isinstance(s, int) and not isinstance(s, bool) and 2 <= s <= widest,
                    f"sizes[{i}]", s, f"an integer in [2, {widest}] (the widest map's "
                    f"qubits; maps have at most {MAX_MAP_QUBITS})")
        for key, values in (("maps", self.maps), ("families", self.families),
                            ("sizes", self.sizes)):
            require(len(set(values)) == len(values), key, values, "distinct entries")
        if "qaoa_maxcut" in self.families:
            require(min(self.sizes) >= 3, "sizes", self.sizes,
                    "sizes >= 3 with qaoa_maxcut (a regular graph needs 3 nodes)")
        require(0 <= self.sabre_seed < 2**63, "sabre_seed", self.sabre_seed,
                "an integer in [0, 2^63)")
        check_operator_max_qubits(self.operator_max_qubits)
        require(isinstance(self.random_gates, int) and 1 <= self.random_gates
                <= MAX_RANDOM_GATES, "random_gates", self.random_gates,
                f"an integer in [1, {MAX_RANDOM_GATES}]")
        require(isinstance(self.instances, int) and 1 <= self.instances <= MAX_INSTANCES,
                "instances", self.instances, f"an integer in [1, {MAX_INSTANCES}]")
        self.check_grid(widths)
        require(self.seed_base + self.instances <= VALIDATION_SEED_BASE
                or self.seed_base >= VALIDATION_SEED_BASE + 1_000_000, "seed_base",
                self.seed_base, f"keys outside [{VALIDATION_SEED_BASE}, "
                f"{VALIDATION_SEED_BASE + 1_000_000}) (the routers' validation circuits)")
        require(self.seed_base >= 1_000_000, "seed_base", self.seed_base,
                "an integer >= 1000000 (training keys are below it)")
        require(self.max_steps is None or self.max_steps >= 1, "max_steps", self.max_steps,
                "null or an integer >= 1")

    def runnable_families(self) -> list[str]:
        """The families that can be generated here (mqt-* only where mqt.bench is)."""
        if any(f.startswith(MQT_PREFIX) for f in self.families) and not mqt_available():
            return [f for f in self.families if not f.startswith(MQT_PREFIX)]
        return list(self.families)

    def count_tasks(self, widths: dict[str, int] | None = None) -> int:
        """The tasks ``plan`` makes, counted without building them."""
        widths = widths or {m: coupling_graph(m).number_of_nodes() for m in self.maps}
        per_size = sum(1 if family_deterministic(f) else self.instances
                       for f in self.runnable_families())
        pairs = sum(1 for r in self.all_routers() for m in self.maps
                    if not is_policy_router(r) or m in self.policies
                    for s in self.sizes if s <= widths[m])
        return pairs * per_size

    def check_grid(self, widths: dict[str, int] | None = None) -> None:
        """Refuse a grid with no task (naming why) or with more than ``MAX_TASKS``."""
        widths = widths or {m: coupling_graph(m).number_of_nodes() for m in self.maps}
        if not self.runnable_families():
            raise ConfigError(
                "families", self.families, f"at least one of {', '.join(FAMILIES)}, or "
                "mqt-* with mqt.bench installed (pip install mqt.bench)",
                problem="gives a grid with no tasks (mqt.bench is not installed, so its "
                "mqt-* families are skipped):")
        n = self.count_tasks(widths)
        if n == 0:
            maps = [m for m in self.maps if self.routers or m in self.policies]
            raise ConfigError(
                "sizes", self.sizes, f"a size of at most {max(widths[m] for m in maps)} "
                f"qubits (the widest map that a router runs on: {', '.join(maps)})",
                problem="gives a grid with no tasks (every size is larger than the maps "
                "routed):")
        if n > MAX_TASKS:
            raise ConfigError(
                "instances", self.instances, f"a grid of at most {MAX_TASKS} tasks (fewer "
                "instances, routers, maps, families or sizes)",
                problem=f"makes a grid of {n} tasks (routers x maps x families x sizes x "
                "instances) with instances")

    def all_routers(self) -> list[str]:
        searches = [f"{POLICY_ROUTER}-search-{w}" for w in self.search_widths]
        return [*self.routers, *([POLICY_ROUTER, *searches] if self.policies else [])]

    def result_keys(self) -> tuple[str, ...]:
        return ("workload", "maps", "families", "sizes", "random_gates", "instances",
                "seed_base", "sabre_seed", "max_steps")


def _map_key(name: str) -> str:
    """A ``policies`` key in its canonical spelling (an unknown map as given: the check
    that it is one of ``maps`` names it)."""
    try:
        return canonical_map(name)
    except ConfigError:
        return name
