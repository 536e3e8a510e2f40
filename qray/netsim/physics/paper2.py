"""``paper2``: Chaudhary, Li, Chowdhury (ICC 2023), the model the authors' code implements.

15 nodes at fixed coordinates (or seeded random ones), a link wherever two nodes are strictly
less than ``max_edge_km`` apart. Each link's pair source sits at its midpoint; fiber loss acts
as depolarization of each qubit, so a link delivers a Werner state of fidelity F_link and a
path, by the Werner swapping formula, one of fidelity F_fiber. The arms are Yen's K best
paths by F_fiber.

Each pull swaps synchronously along the path (:func:`swap_flips` keeps the memories' wait
times level by level). Memory dephasing, Bell-measurement and gate errors are independent
Pauli flips, and the state stays Bell-diagonal, so a pull ends at F_fiber when the product of
its flips is the identity and at (1 - F_fiber)/3 otherwise: one uniform draw against the
exact P(identity) per pull is the same distribution as drawing every flip
(:meth:`Paper2Testbed.sample_flips` draws them one by one, for the tests).
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
    path_length,
    uniform_capacities,
)

#: the paper's node coordinates (km), nodes 1..15
FIXED_X = (-9.2, -6.5, -7.5, -4, -5.1, -0.2, 0.1, -1.2, -1, 4, 3, 5, 6, 7.5, 8.2)
FIXED_Y = (-3.2, -7, 4.5, 8, -0.2, -8.6, 7.6, 3.2, -3, 4.3, -6, -2, 7, -6, 2)
C_LIGHT = 3e8  # m/s
#: most nodes of a random topology (each draw checks every node pair)
MAX_NODES = 100
MAX_KM = 10_000.0
#: upper bounds of the timing and noise parameters (key -> (high, unit))
LIMITS = {
    "attenuation_db_per_km": (100.0, "dB/km; the paper's is 0.05"),
    "dephasing_rate": (1e12, "1/s"),
    "t_bsm_s": (3600.0, "seconds"),
    "t_d_s": (3600.0, "seconds"),
}


@dataclass(frozen=True)
class Paper2Params:
    """Attributes:
        topology: ``fixed`` (the paper's 15 coordinates) or ``random`` (``n_nodes`` uniform
            in a ``side_km`` square centred on 0, seeded, redrawn until connected).
        n_nodes, side_km: the random topology (``fixed`` has 15 nodes).
        max_edge_km: a link wherever two nodes are strictly closer than this.
        source, target: S and D, 1-based node numbers as in the paper.
        n_paths: K of Yen's K best paths by fidelity.
        min_path_fidelity: trailing paths below this fiber fidelity are dropped.
        p_init: a qubit's depolarization at the source.
        attenuation_db_per_km: fiber attenuation alpha (dB/km).
        refractive_index: of the fiber (qubit flight at c / n).
        t_bsm_s, t_d_s: Bell measurement and correction (gate) times (s).
        dephasing_rate: memory dephasing rate r (1/s).
        p_bsm: Bell-measurement error per swap (a Z flip).
        p_gate: gate error per swap (a Y flip with probability p_gate / 2).
        reward: ``piecewise`` (the paper's reward of the pull's fidelity) or ``fidelity``.
        total_qubits: qubits over all paths (default: one per link, one arm per path).
    """

    topology: str = "fixed"
    n_nodes: int = 15
    side_km: float = 20.0
    max_edge_km: float = 10.0
    source: int = 2
    target: int = 15
    n_paths: int = 8
    min_path_fidelity: float = 0.5
    p_init: float = 1e-5
    attenuation_db_per_km: float = 0.05
    refractive_index: float = 1.5
    t_bsm_s: float = 10e-9
    t_d_s: float = 10e-9
    dephasing_rate: float = 1e4
    p_bsm: float = 0.2
    p_gate: float = 0.2
    reward: str = "piecewise"
    total_qubits: int | None = None

    def __post_init__(self) -> None:
        k = "models.paper2."
        if self.topology not in ("fixed", "random"):
            raise ConfigError(k + "topology", self.topology, "fixed or random")
        check_range(k + "n_nodes", self.n_nodes, 2, MAX_NODES, integer=True,
                    why="nodes of the random topology")
        if self.topology == "fixed" and self.n_nodes != len(FIXED_X):
            raise ConfigError(k + "n_nodes", self.n_nodes,
                              f"{len(FIXED_X)} with topology: fixed (or topology: random)")
        for name in ("source", "target"):
            check_range(k + name, getattr(self, name), 1, self.n_nodes, integer=True,
                        why="a 1-based node number")
        if self.source == self.target:
            raise ConfigError(k + "target", self.target, "a node other than the source")
        check_range(k + "n_paths", self.n_paths, 1, MAX_PATHS, integer=True, why="K of Yen's paths")
        check_total_qubits(k + "total_qubits", self.total_qubits)
        if self.reward not in ("piecewise", "fidelity"):
            raise ConfigError(k + "reward", self.reward, "piecewise or fidelity")
        for name in ("side_km", "max_edge_km"):
            check_range(k + name, getattr(self, name), 0.0, MAX_KM, low_open=True, why="km")
        for name in ("p_init", "p_bsm", "p_gate"):
            check_range(k + name, getattr(self, name), 0.0, 1.0, why="a probability")
        check_range(k + "min_path_fidelity", self.min_path_fidelity, 0.0, 1.0,
                    why="a fidelity")
        check_range(k + "refractive_index", self.refractive_index, 1.0, 10.0, why="of the fiber")
        for name, (high, unit) in LIMITS.items():
            check_range(k + name, getattr(self, name), 0.0, high, why=unit)


def piecewise_reward(f: np.ndarray | float) -> np.ndarray:
    """The paper's reward of fidelity F: -2(0.5-F) below 0.25, -(0.5-F) below 0.5, then
    F, 2F, 3F, 4F, 5F on [0.5, 0.6), [0.6, 0.7), [0.7, 0.8), [0.8, 0.9), [0.9, 1]."""
    f = np.asarray(f, dtype=float)
    factor = 1 + np.searchsorted([0.6, 0.7, 0.8, 0.9], f, side="right")
    return np.where(f < 0.25, -2 * (0.5 - f), np.where(f < 0.5, -(0.5 - f), factor * f))


def swap_fidelity(f1: float, f2: float) -> float:
    """Werner swapping: F12 = F1 F2 + (1 - F1)(1 - F2) / 3."""
    return f1 * f2 + (1 - f1) * (1 - f2) / 3


def link_fidelity(km: float, p: Paper2Params) -> float:
    """Fiber-only fidelity of a link of ``km``: each qubit crosses half of it and is
    depolarized with p = 1 - (1 - p_init) 10^(-alpha l / 10); F = (1 - p)^2 + p^2 / 3."""
    dep = 1 - (1 - p.p_init) * 10 ** (-p.attenuation_db_per_km * (km / 2) / 10)
    return (1 - dep) ** 2 + dep**2 / 3


def path_fidelity(link_f: list[float] | np.ndarray) -> float:
    """F_fiber of a path: the swapping formula folded over its links."""
    out = float(link_f[0])
    for f in link_f[1:]:
        out = swap_fidelity(out, float(f))
    return out


def identity_probability(flips: np.ndarray) -> float:
    """P(the product of independent Pauli flips is the identity); ``flips`` has one row
    (p_X, p_Y, p_Z) per flip. Over the characters of the Pauli group mod phases:
    P(I) = (1 + prod(1 - 2(pX + pY)) + prod(1 - 2(pY + pZ)) + prod(1 - 2(pX + pZ))) / 4."""
    px, py, pz = np.asarray(flips, dtype=float).reshape(-1, 3).T
    return float((1 + np.prod(1 - 2 * (px + py)) + np.prod(1 - 2 * (py + pz))
                  + np.prod(1 - 2 * (px + pz))) / 4)


def swap_flips(link_km: np.ndarray, hop_km: np.ndarray, p: Paper2Params) -> np.ndarray:
    """The Pauli flips (rows p_X, p_Y, p_Z) of one pull of synchronized swapping along a
    path with links ``link_km``; ``hop_km[a, b]`` is the distance between path nodes a and b
    (the classical signal of a swap at a reaches b over it).

    The wait bookkeeping of the authors' MATLAB, step for step. Memory waits start at
    t_q,max - t_q(link). At each level every second node of the unswapped chain swaps: its
    two memories and the next node's (after t_c + t_BSM more) dephase with 1 - exp(-r W);
    the previous node's right memory waits t_c + t_BSM + t_d. Each level records the t_c
    every memory waited (0 where none). A level with an odd number of links leaves the last
    link (nodes mm-1, mm by index) unpaired: both its memories wait the level's largest
    t_c + t_BSM + t_d, and that t_c is recorded for mm-1's right memory and, as the MATLAB's
    ``tc_ES_LevelWise_Left(mm-1)`` has it, for mm-1's left memory rather than mm's. Then
    every memory of a node that did not swap waits the level's largest t_c minus its
    record (the source's left and the destination's right memory excepted). The source's
    memory never dephases.
    """
    n = len(link_km) + 1
    t_q = (link_km / 2) * 1000 / (C_LIGHT / p.refractive_index)
    left, right = np.zeros(n), np.zeros(n)
    right[:-1] += t_q.max() - t_q
    left[1:] += t_q.max() - t_q
    dephase = lambda w: 1 - math.exp(-p.dephasing_rate * w)  # noqa: E731
    flips: list[tuple[float, float, float]] = []
    chain = list(range(n))
    while len(chain) > 2:
        tc_left, tc_right = np.zeros(n), np.zeros(n)  # the t_c each memory waited
        for k in range(1, len(chain) - 1, 2):
            prev, node, nxt = chain[k - 1], chain[k], chain[k + 1]
            t_c = hop_km[node, nxt] * 1000 / C_LIGHT
            tc_left[nxt] = t_c
            left[nxt] += t_c + p.t_bsm_s
            flips += [(0, 0, dephase(left[node])), (0, 0, dephase(right[node])),
                      (0, 0, dephase(left[nxt])), (0, 0, p.p_bsm), (0, p.p_gate / 2, 0)]
            left[node] = right[node] = left[nxt] = 0.0
            tc_right[prev] = t_c
            right[prev] += t_c + p.t_bsm_s + p.t_d_s
        if len(chain) % 2 == 0:  # an odd number of links: the last one took no part
            mm = chain[-1]
            right[mm - 1] += tc_right.max() + p.t_bsm_s + p.t_d_s
            tc_right[mm - 1] = tc_right.max()
            left[mm] += tc_left.max() + p.t_bsm_s + p.t_d_s
            tc_left[mm - 1] = tc_left.max()  # sic: the MATLAB's index, not mm
        chain = chain[::2] if len(chain) % 2 else [*chain[:-1:2], chain[-1]]
        t_max = max(tc_left.max(), tc_right.max())
        for node in chain:
            if node != 0:
                left[node] += t_max - tc_left[node]
            if node != n - 1:
                right[node] += t_max - tc_right[node]
    return np.asarray(flips, dtype=float).reshape(-1, 3)


class Paper2Testbed(Testbed):
    """The paper's 15-node network; one arm per path at the default qubit count."""

    Params = Paper2Params
    #: in every task id, so results of an earlier model are not reused: 2 the authors' model
    #: (1 is ``paper2_port``), 3 its unpaired-link waits as the MATLAB has them
    MODEL_VERSION = 3

    def __init__(self, params: Paper2Params, seed: int = 0) -> None:
        self.params = params
        self.graph, xy, tries = self._graph(params, seed)
        node_paths = self._paths(params)
        paths, self.link_km, self.flips = [], [], []
        for nodes in node_paths:
            km = np.array([self.graph.edges[a, b]["distance"] for a, b in itertools.pairwise(nodes)])
            pos = xy[np.asarray(nodes) - 1]
            hop = np.hypot(*(pos[:, None, :] - pos[None, :, :]).transpose(2, 0, 1))
            paths.append(PathInfo(tuple(nodes), path_length(self.graph, nodes, "distance")))
            self.link_km.append(km)
            self.flips.append(swap_flips(km, hop, params))
        self.f_fiber = np.array([path_fidelity([link_fidelity(d, params) for d in km])
                                 for km in self.link_km])
        self.p_identity = np.array([identity_probability(f) for f in self.flips])
        self.f_error = (1 - self.f_fiber) / 3
        self.mean_fidelity = self.p_identity * self.f_fiber + (1 - self.p_identity) * self.f_error
        self.mean_value = (self.p_identity * self._g(self.f_fiber)
                           + (1 - self.p_identity) * self._g(self.f_error))
        #: per path, the reward of a pull that ends at F_fiber and of one that does not
        self._outcomes = [(float(a), float(b)) for a, b in
                          zip(self._g(self.f_fiber), self._g(self.f_error), strict=True)]
        minimum = tuple(len(km) for km in self.link_km)
        total = params.total_qubits if params.total_qubits is not None else sum(minimum)
        if total < sum(minimum):
            raise ConfigError("models.paper2.total_qubits", total,
                              f"at least {sum(minimum)} (one qubit per link of the paths)")
        super().__init__("paper2", paths, uniform_capacities(minimum, total), min_per_link=1,
                         info={"nodes": self.graph.number_of_nodes(),
                               "edges": self.graph.number_of_edges(),
                               "topology": params.topology, "topology_tries": tries})
        self.fail_reward = float(self._g(0.0))
        self.reward_range = (self.fail_reward, float(self._g(1.0)))

    # -- topology ---------------------------------------------------------------------------
    @staticmethod
    def _graph(params: Paper2Params, seed: int):  # noqa: ANN205
        """The graph (nodes 1..n, edge attributes ``distance`` and ``cost``), the
        coordinates and the number of random draws (1 for the fixed topology)."""
        import networkx as nx

        for tries in range(1, 1001):
            if params.topology == "fixed":
                xy = np.column_stack([FIXED_X, FIXED_Y]).astype(float)
            else:
                rng = np.random.default_rng([seed, tries])
                xy = rng.uniform(-params.side_km / 2, params.side_km / 2, size=(params.n_nodes, 2))
            graph = nx.Graph()
            graph.add_nodes_from(range(1, len(xy) + 1))
            for a, b in itertools.combinations(range(len(xy)), 2):
                d = float(np.hypot(*(xy[a] - xy[b])))
                w = (4 * link_fidelity(d, params) - 1) / 3
                if d < params.max_edge_km and w > 0:
                    # Werner parameters multiply under swapping, so -ln w is additive and
                    # Yen's shortest paths under it are the paths of highest fidelity
                    graph.add_edge(a + 1, b + 1, distance=d, cost=-math.log(w))
            if params.topology == "fixed" or nx.is_connected(graph):
                return graph, xy, tries
        raise ConfigError("models.paper2.max_edge_km", params.max_edge_km,
                          "a longer reach or more nodes", problem="no connected topology with")

    def _paths(self, params: Paper2Params) -> list[list[int]]:
        import networkx as nx

        if not nx.has_path(self.graph, params.source, params.target):
            raise ConfigError("models.paper2.target", params.target,
                              f"a node reachable from node {params.source}",
                              problem="no path to")
        paths = k_shortest_paths(self.graph, params.source, params.target, params.n_paths,
                                 weight="cost")
        fid = [path_fidelity([link_fidelity(self.graph.edges[a, b]["distance"], params)
                              for a, b in itertools.pairwise(p)]) for p in paths]
        while paths and fid[-1] < params.min_path_fidelity:
            paths.pop()
            fid.pop()
        if not paths:
            raise ConfigError("models.paper2.min_path_fidelity", params.min_path_fidelity,
                              "a lower bound (no path reaches it)", problem="no path above")
        return paths

    # -- rewards -----------------------------------------------------------------------------
    def _g(self, f: float | np.ndarray) -> np.ndarray:
        """The configured reward of fidelity ``f``."""
        f = np.asarray(f, dtype=float)
        return f if self.params.reward == "fidelity" else piecewise_reward(f)

    def expected(self, path: int, arms: np.ndarray) -> np.ndarray:
        """Every arm of a path is worth the same (qubit splits do not change the reward)."""
        return np.full(len(arms), self.mean_value[path])

    def draw(self, path: int, arm: np.ndarray, rng: np.random.Generator) -> float:
        """One pull: one uniform against P(identity), so frame t of a replicate uses the
        same random number whichever path a learner plays (common random numbers)."""
        return self._outcomes[path][0] if rng.random() < self.p_identity[path] \
            else self._outcomes[path][1]

    def sample_flips(self, path: int, rng: np.random.Generator, n: int = 1) -> np.ndarray:
        """``n`` pulls drawn flip by flip: the Pauli (0 I, 1 X, 2 Y, 3 Z) each flip applied,
        one row per pull (the reference the closed form is tested against)."""
        probs = self.flips[path]
        cum = np.cumsum(probs, axis=1)
        u = rng.random((n, len(probs)))
        return np.where(u < cum[:, 0], 1, np.where(u < cum[:, 1], 2, np.where(u < cum[:, 2], 3, 0)))

    def path_table(self) -> list[dict[str, float]]:
        """Per path: nodes, length, hops, F_fiber, P(identity), expected fidelity and reward."""
        return [{"path": i + 1, "nodes": "-".join(map(str, p.nodes)), "km": p.distance,
                 "hops": p.links, "f_fiber": float(self.f_fiber[i]),
                 "p_identity": float(self.p_identity[i]),
                 "fidelity": float(self.mean_fidelity[i]), "reward": float(self.mean_value[i])}
                for i, p in enumerate(self.paths)]

    def distance_path(self) -> int:
        """The shortest path by distance (the baseline the paper's learner beats)."""
        return int(np.argmin([p.distance for p in self.paths]))
