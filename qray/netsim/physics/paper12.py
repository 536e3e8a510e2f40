"""``paper12``: Clayton, Wu, Bhattacharjee, QuARC (arXiv 2410.23007).

A Waxman graph (100 nodes in the unit square, seeded; the studied code was not), its
connected components chained by their closest node pairs. S and D are the two nodes
farthest apart; the candidate paths are the k shortest by hops. An edge of length d
(the unit square's units times ``distance_scale``) succeeds per qubit with probability
p = E_p exp(-0.16 d); with q qubits, 1 - (1 - p)^q. Fusion at each intermediate node
succeeds with probability q_f. The path succeeds with F = prod p_edge * q_f^(hops - 1),
and the frame's reward is a fresh Bernoulli(F) draw (throughput 1 on success).
"""

from __future__ import annotations

import itertools
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

#: most nodes: the Waxman graph and the choice of S and D look at every node pair (the
#: paper: 100)
MAX_NODES = 1000
#: largest distance scale (unit-square units to km) and attenuation (per km)
MAX_DISTANCE_SCALE = 100_000.0
MAX_ATTENUATION = 100.0


@dataclass(frozen=True)
class Paper12Params:
    """Attributes:
        n_nodes, alpha, beta: the Waxman graph (networkx's parameters).
        distance_scale: multiplies the unit-square distances (1: d in [0, 1.41]).
        e_p: edge success scale E_p; ``attenuation``: the 0.16 per km of exp(-0.16 d).
        fusion: fusion success q_f at each intermediate node.
        n_paths: candidate paths (shortest by hops).
        total_qubits: qubits over all paths (default: one per link plus 2 per path).
    """

    n_nodes: int = 100
    alpha: float = 0.4
    beta: float = 0.2
    distance_scale: float = 1.0
    e_p: float = 0.6
    attenuation: float = 0.16
    fusion: float = 0.9
    n_paths: int = 8
    total_qubits: int | None = None

    def __post_init__(self) -> None:
        k = "models.paper12."
        if self.n_nodes < 2:
            raise ConfigError(k + "n_nodes", self.n_nodes, "an integer >= 2")
        check_range(k + "n_nodes", self.n_nodes, 2, MAX_NODES, integer=True,
                    why="nodes of the Waxman graph")
        for name in ("e_p", "fusion"):
            if not 0 < getattr(self, name) <= 1:
                raise ConfigError(k + name, getattr(self, name), "a probability in (0, 1]")
        if self.n_paths < 1:
            raise ConfigError(k + "n_paths", self.n_paths, "an integer >= 1")
        check_range(k + "n_paths", self.n_paths, 1, MAX_PATHS, integer=True,
                    why="candidate paths")
        check_total_qubits(k + "total_qubits", self.total_qubits)
        if self.distance_scale <= 0:
            raise ConfigError(k + "distance_scale", self.distance_scale, "a number > 0")
        for name in ("alpha", "beta"):
            if not 0 < getattr(self, name) <= 1:
                raise ConfigError(k + name, getattr(self, name), "a number in (0, 1]")
        if self.attenuation < 0:
            raise ConfigError(k + "attenuation", self.attenuation, "a number >= 0")
        check_range(k + "distance_scale", self.distance_scale, 0.0, MAX_DISTANCE_SCALE,
                    low_open=True, why="km per unit of the unit square")
        check_range(k + "attenuation", self.attenuation, 0.0, MAX_ATTENUATION, why="per km")


def chain_components(graph) -> int:  # noqa: ANN001
    """Join the connected components into one, each to the next by its closest node pair
    (positions in the ``pos`` node attribute); returns the edges added."""
    import networkx as nx

    comps = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: c[0])
    pos = nx.get_node_attributes(graph, "pos")
    for a_nodes, b_nodes in itertools.pairwise(comps):
        a, b = min(itertools.product(a_nodes, b_nodes),
                   key=lambda ab: np.hypot(*np.subtract(pos[ab[0]], pos[ab[1]])))
        graph.add_edge(a, b)
    return len(comps) - 1


class Paper12Testbed(Testbed):
    """The QuARC Waxman network (topology fixed by ``seed``)."""

    Params = Paper12Params

    def __init__(self, params: Paper12Params, seed: int = 0) -> None:
        import networkx as nx

        self.params = params
        rng = np.random.default_rng([seed, 12])
        graph = nx.waxman_graph(params.n_nodes, beta=params.beta, alpha=params.alpha,
                                seed=int(rng.integers(2**31)))
        added = chain_components(graph)
        pos = nx.get_node_attributes(graph, "pos")
        for a, b in graph.edges:
            graph.edges[a, b]["km"] = float(np.hypot(*np.subtract(pos[a], pos[b]))) * params.distance_scale
        ends = max(itertools.combinations(sorted(graph.nodes), 2),
                   key=lambda ab: np.hypot(*np.subtract(pos[ab[0]], pos[ab[1]])))
        node_paths = k_shortest_paths(graph, ends[0], ends[1], params.n_paths)
        paths = [PathInfo(tuple(p), path_length(graph, p, "km")) for p in node_paths]
        self.edge_p = [np.array([params.e_p * np.exp(-params.attenuation * graph.edges[a, b]["km"])
                                 for a, b in itertools.pairwise(p)]) for p in node_paths]
        minimum = tuple(p.links for p in paths)
        total = params.total_qubits if params.total_qubits is not None else sum(minimum) + 2 * len(minimum)
        if total < sum(minimum):
            raise ConfigError("models.paper12.total_qubits", total,
                              f"at least {sum(minimum)} (one qubit per link of the paths)")
        super().__init__("paper12", paths, uniform_capacities(minimum, total), min_per_link=1,
                         info={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                               "chained_components": added, "source": ends[0],
                               "target": ends[1]})

    def success(self, path: int, arms: np.ndarray) -> np.ndarray:
        """F of each arm: prod_edges [1 - (1 - p)^q] * q_f^(hops - 1)."""
        hops = self.paths[path].links
        return multiplexed(self.edge_p[path], arms).prod(axis=1) * self.params.fusion ** (hops - 1)

    def expected(self, path: int, arms: np.ndarray) -> np.ndarray:
        return self.success(path, arms)

    def draw(self, path: int, arm: np.ndarray, rng: np.random.Generator) -> float:
        return float(rng.random() < self.success(path, arm[None, :])[0])
