"""``paper2_port``: the studied Python port of Chaudhary, Li, Chowdhury (ICC 2023).

Kept for comparison with the studied code only; ``paper2`` is the authors' model (see
``specs/netsim_paper2.md``). This one differs from it at almost every step (loss counted as
infidelity, additive error increments, a product instead of the swapping formula).

15 nodes uniform in a 20 x 20 km square (seeded), an edge between nodes at most 10 km
apart, S = 1, D = 14, the 8 shortest simple paths by distance. Each frame a link's error is
fiber loss + BSM (+0.05 w.p. 0.2) + gate (+0.03 w.p. 0.2) + depolarizing (+0.02 w.p. 0.1)
+ dephasing 1 - exp(-r (t_fiber + t_BSM + t_d)); the path fidelity is F = prod (1 - e).
Optional memory decay exp(-hops * swap_delay / T2) models asynchronous swapping.

Qubits: an arm puts q >= 1 qubits on each link; a link delivers in a frame with
probability 1 - (1 - link_success)^q. A delivered path earns F (``reward: fidelity``) or
the paper's piecewise reward of F (``reward: piecewise``); an undelivered (or denied)
one earns the reward of F = 0 (0, or -1 for the piecewise reward).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.physics.base import (
    MAX_PATHS,
    PathInfo,
    Testbed,
    check_range,
    check_total_qubits,
    k_shortest_paths,
    multiplexed,
    path_length,
    uniform_capacities,
)
from qray.netsim.physics.paper2 import piecewise_reward

C_FIBER = 3e8 / 1.5  # m/s: c_light over the refractive index 1.5
#: (extra error, probability) of the random per-link error components: BSM, gate, depolarizing
RANDOM_ERRORS = ((0.05, 0.2), (0.03, 0.2), (0.02, 0.1))
EXACT_MAX_LINKS = 6  # expected piecewise reward: exact enumeration up to 8^6 outcomes
#: most nodes: each of up to 1000 topology draws checks every node pair (the paper: 15)
MAX_NODES = 100
#: longest side / edge of the square (km)
MAX_KM = 10_000.0
#: upper bounds of the error-model parameters (key -> (high, unit))
LIMITS = {
    "attenuation_db_per_km": (100.0, "dB/km; fiber is about 0.2"),
    "dephasing_rate": (1e12, "1/s"),
    "t_bsm_s": (3600.0, "seconds"),
    "t_d_s": (3600.0, "seconds"),
    "swap_delay_s": (3600.0, "seconds"),
    "t2_s": (1e6, "seconds"),
}


@dataclass(frozen=True)
class Paper2PortParams:
    """Attributes:
        n_nodes, side_km, max_edge_km: the random geometric topology.
        source, target: S and D node ids.
        n_paths: candidate paths (shortest simple paths by distance).
        reward: ``fidelity`` (F) or ``piecewise`` (the paper's reward of F).
        attenuation_db_per_km: fiber loss; a link's loss error is 1 - 10^(-a d / 10).
        dephasing_rate: r (1/s).
        t_bsm_s, t_d_s: BSM and detector times (s).
        swap: ``sync`` or ``async`` (async adds memory decay exp(-hops*swap_delay/T2)).
        swap_delay_s, t2_s: asynchronous swapping delay per hop and memory T2.
        link_success: a qubit's chance to establish its link in a frame.
        total_qubits: qubits over all paths (default: each path one per link plus 2).
    """

    n_nodes: int = 15
    side_km: float = 20.0
    max_edge_km: float = 10.0
    source: int = 1
    target: int = 14
    n_paths: int = 8
    reward: str = "fidelity"
    attenuation_db_per_km: float = 0.2
    dephasing_rate: float = 1e4
    t_bsm_s: float = 10e-9
    t_d_s: float = 10e-9
    swap: str = "sync"
    swap_delay_s: float = 1e-3
    t2_s: float = 1.0
    link_success: float = 0.7
    total_qubits: int | None = None

    def __post_init__(self) -> None:
        k = "models.paper2_port."
        if self.n_nodes < 2:
            raise ConfigError(k + "n_nodes", self.n_nodes, "an integer >= 2")
        check_range(k + "n_nodes", self.n_nodes, 2, MAX_NODES, integer=True,
                    why="nodes of the random geometric topology")
        for name in ("source", "target"):
            v = getattr(self, name)
            if not 0 <= v < self.n_nodes:
                raise ConfigError(k + name, v, f"a node id in 0..{self.n_nodes - 1}")
        if self.source == self.target:
            raise ConfigError(k + "target", self.target, "a node other than the source")
        if self.n_paths < 1:
            raise ConfigError(k + "n_paths", self.n_paths, "an integer >= 1")
        check_range(k + "n_paths", self.n_paths, 1, MAX_PATHS, integer=True,
                    why="candidate paths")
        check_total_qubits(k + "total_qubits", self.total_qubits)
        if self.reward not in ("fidelity", "piecewise"):
            raise ConfigError(k + "reward", self.reward, "fidelity or piecewise")
        if self.swap not in ("sync", "async"):
            raise ConfigError(k + "swap", self.swap, "sync or async")
        if not 0 < self.link_success <= 1:
            raise ConfigError(k + "link_success", self.link_success, "a probability in (0, 1]")
        for name in ("side_km", "max_edge_km", "t2_s"):
            if getattr(self, name) <= 0:
                raise ConfigError(k + name, getattr(self, name), "a number > 0")
        for name in ("attenuation_db_per_km", "dephasing_rate", "t_bsm_s", "t_d_s", "swap_delay_s"):
            if getattr(self, name) < 0:
                raise ConfigError(k + name, getattr(self, name), "a number >= 0")
        for name in ("side_km", "max_edge_km"):
            check_range(k + name, getattr(self, name), 0.0, MAX_KM, low_open=True, why="km")
        for name, (high, unit) in LIMITS.items():
            check_range(k + name, getattr(self, name), 0.0, high, low_open=name == "t2_s",
                        why=unit)


class Paper2PortTestbed(Testbed):
    """The random geometric network of the paper (topology fixed by ``seed``)."""

    Params = Paper2PortParams

    def __init__(self, params: Paper2PortParams, seed: int = 0) -> None:
        self.params = params
        graph, node_paths, tries = self._graph(params, seed)
        paths = [PathInfo(tuple(p), path_length(graph, p, "distance")) for p in node_paths]
        links = [[graph.edges[a, b]["distance"] for a, b in itertools.pairwise(p)]
                 for p in node_paths]
        minimum = tuple(len(x) for x in links)
        total = params.total_qubits if params.total_qubits is not None else sum(minimum) + 2 * len(minimum)
        if total < sum(minimum):
            raise ConfigError("models.paper2_port.total_qubits", total,
                              f"at least {sum(minimum)} (one qubit per link of the paths)")
        super().__init__("paper2_port", paths, uniform_capacities(minimum, total), min_per_link=1,
                         info={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                               "max_edge_km": max(d for _, _, d in graph.edges(data="distance")),
                               "topology_tries": tries})
        self.graph = graph
        self.link_km = [np.asarray(x) for x in links]
        self.base_error = [self._base_error(d) for d in self.link_km]
        self.decay = [self._decay(len(x)) for x in links]
        self.mean_fidelity = np.array([self._mean_fidelity(i) for i in range(self.n_paths)])
        self.mean_value = np.array([self._mean_value(i) for i in range(self.n_paths)])
        # rewards lie between that of nothing delivered (fidelity 0) and that of the best
        # path's fidelity without random errors; learners see them rescaled from this range
        f_max = max(float(np.clip(1 - b, 0, 1).prod()) * d
                    for b, d in zip(self.base_error, self.decay, strict=True))
        if f_max <= 1e-9:
            raise ConfigError("models.paper2_port", {"dephasing_rate": params.dephasing_rate,
                                                "attenuation_db_per_km": params.attenuation_db_per_km},
                              "error rates that leave some path a fidelity > 0",
                              problem="every path has fidelity 0 with")
        self.fail_reward = float(self._g(0.0))
        self.reward_range = (self.fail_reward, float(self._g(f_max)))

    # -- topology ---------------------------------------------------------------------------
    @staticmethod
    def _graph(params: Paper2PortParams, seed: int):  # noqa: ANN205
        """The first seeded geometric graph with ``n_paths`` simple S-D paths, those paths
        (shortest by distance) and the number of graphs drawn."""
        import networkx as nx

        for tries in range(1, 1001):
            rng = np.random.default_rng([seed, tries])
            xy = rng.uniform(0, params.side_km, size=(params.n_nodes, 2))
            graph = nx.Graph()
            graph.add_nodes_from(range(params.n_nodes))
            for a, b in itertools.combinations(range(params.n_nodes), 2):
                d = float(np.hypot(*(xy[a] - xy[b])))
                if d <= params.max_edge_km:
                    graph.add_edge(a, b, distance=d)
            if nx.has_path(graph, params.source, params.target):
                paths = k_shortest_paths(graph, params.source, params.target, params.n_paths,
                                         weight="distance")
                if len(paths) == params.n_paths:
                    nx.set_node_attributes(graph, {i: tuple(xy[i]) for i in graph}, "pos")
                    return graph, paths, tries
        raise ConfigError("models.paper2_port.n_paths", params.n_paths,
                          "fewer paths or a denser topology", problem="no topology with")

    # -- errors and fidelity -------------------------------------------------------------
    def _base_error(self, km: np.ndarray) -> np.ndarray:
        p = self.params
        loss = 1.0 - 10 ** (-p.attenuation_db_per_km * km / 10)
        t = km * 1000 / C_FIBER + p.t_bsm_s + p.t_d_s
        dephase = 1.0 - np.exp(-p.dephasing_rate * t)
        return loss + dephase

    def _decay(self, hops: int) -> float:
        p = self.params
        return math.exp(-hops * p.swap_delay_s / p.t2_s) if p.swap == "async" else 1.0

    def fidelity_samples(self, path: int, rng: np.random.Generator, n: int = 1) -> np.ndarray:
        """``n`` frames' path fidelities (random BSM, gate and depolarizing errors)."""
        base = self.base_error[path]
        err = np.broadcast_to(base, (n, base.size)).copy()
        u = rng.random((n, base.size, len(RANDOM_ERRORS)))
        for j, (extra, prob) in enumerate(RANDOM_ERRORS):
            err += extra * (u[:, :, j] < prob)
        return np.clip(1.0 - err, 0.0, 1.0).prod(axis=1) * self.decay[path]

    def _mean_fidelity(self, path: int) -> float:
        mean_extra = sum(e * p for e, p in RANDOM_ERRORS)
        # links are independent and each factor is linear in its error (no clipping needed
        # unless an error passes 1, which the enumeration below handles)
        if (self.base_error[path] + sum(e for e, _ in RANDOM_ERRORS) < 1).all():
            return float(np.prod(1 - self.base_error[path] - mean_extra) * self.decay[path])
        return float(self._value_distribution(path, lambda f: f))

    def _g(self, f: float | np.ndarray) -> np.ndarray:
        """The configured reward of fidelity ``f``."""
        return np.asarray(f, dtype=float) if self.params.reward == "fidelity" else piecewise_reward(f)

    def _mean_value(self, path: int) -> float:
        if self.params.reward == "fidelity":
            return self.mean_fidelity[path]
        return float(self._value_distribution(path, piecewise_reward))

    def _value_distribution(self, path: int, g) -> float:  # noqa: ANN001
        """E[g(F)] by exact enumeration of the random components (or 2^18 seeded
        samples beyond :data:`EXACT_MAX_LINKS` links)."""
        base = self.base_error[path]
        if base.size > EXACT_MAX_LINKS:
            rng = np.random.default_rng(0)
            return float(np.mean(g(self.fidelity_samples(path, rng, 2**18))))
        combos = list(itertools.product((0, 1), repeat=len(RANDOM_ERRORS)))
        extra = np.array([sum(e * c for (e, _), c in zip(RANDOM_ERRORS, cb, strict=True))
                          for cb in combos])
        prob = np.array([np.prod([p if c else 1 - p for (_, p), c in zip(RANDOM_ERRORS, cb, strict=True)])
                         for cb in combos])
        fid = np.ones(1)
        weight = np.ones(1)
        for b in base:
            factor = np.clip(1.0 - b - extra, 0.0, 1.0)
            fid = np.outer(fid, factor).ravel()
            weight = np.outer(weight, prob).ravel()
        return float((weight * g(fid * self.decay[path])).sum())

    # -- rewards -----------------------------------------------------------------------------
    def expected(self, path: int, arms: np.ndarray) -> np.ndarray:
        deliver = multiplexed(self.params.link_success, arms).prod(axis=1)
        return deliver * self.mean_value[path] + (1 - deliver) * self.fail_reward

    def draw(self, path: int, arm: np.ndarray, rng: np.random.Generator) -> float:
        if not (rng.random(arm.size) < multiplexed(self.params.link_success, arm)).all():
            return self.fail_reward
        return float(self._g(self.fidelity_samples(path, rng)[0]))

    def distance_path(self) -> int:
        """The shortest path by distance (the baseline the paper's learner beats)."""
        return int(np.argmin([p.distance for p in self.paths]))
