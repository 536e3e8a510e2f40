"""``paper8``: purification and swapping on a random network.

A connected G(n, p) random graph (50 nodes, p = 0.08; seeded, regenerated until
connected), each edge with a raw Werner fidelity U(0.6, 0.99). S and D are the ends of a
longest shortest path; the candidate paths are the 8 shortest by hops. With q qubits a link
runs floor(log2 q) rounds of recurrence purification, F -> F^2 / (F^2 + (1 - F)^2), each
succeeding with probability F^2 + (1 - F)^2; the purified links are swapped along the path
with the Werner composition F <- 1/4 + (4F - 1)(4f - 1)/12. A frame earns the end-to-end
fidelity when every purification round succeeds, else 0.
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
    uniform_capacities,
)

#: most nodes: the testbed keeps all-pairs shortest path lengths (n^2) and may draw up to
#: 1000 graphs until one is connected (the model: 50)
MAX_NODES = 500


@dataclass(frozen=True)
class Paper8Params:
    """Attributes:
        n_nodes, edge_prob: the G(n, p) graph.
        fidelity_low, fidelity_high: range of the raw edge fidelities.
        n_paths: candidate paths (shortest by hops).
        total_qubits: qubits over all paths (default: one per link plus 2 per path).
    """

    n_nodes: int = 50
    edge_prob: float = 0.08
    fidelity_low: float = 0.6
    fidelity_high: float = 0.99
    n_paths: int = 8
    total_qubits: int | None = None

    def __post_init__(self) -> None:
        k = "models.paper8."
        if self.n_nodes < 2:
            raise ConfigError(k + "n_nodes", self.n_nodes, "an integer >= 2")
        check_range(k + "n_nodes", self.n_nodes, 2, MAX_NODES, integer=True,
                    why="nodes of the G(n, p) graph")
        if not 0 < self.edge_prob <= 1:
            raise ConfigError(k + "edge_prob", self.edge_prob, "a probability in (0, 1]")
        if not 0.5 < self.fidelity_low <= self.fidelity_high <= 1:
            raise ConfigError(k + "fidelity_low", self.fidelity_low,
                              "0.5 < fidelity_low <= fidelity_high <= 1")
        if self.n_paths < 1:
            raise ConfigError(k + "n_paths", self.n_paths, "an integer >= 1")
        check_range(k + "n_paths", self.n_paths, 1, MAX_PATHS, integer=True,
                    why="candidate paths")
        check_total_qubits(k + "total_qubits", self.total_qubits)


def purify(f: np.ndarray | float, rounds: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    """Fidelity after ``rounds`` recurrence rounds and the probability all succeed."""
    f = np.array(f, dtype=float, copy=True)
    rounds = np.broadcast_to(np.asarray(rounds), f.shape)
    ok = np.ones_like(f)
    for r in range(int(rounds.max(initial=0))):
        active = rounds > r
        p = f**2 + (1 - f) ** 2
        ok = np.where(active, ok * p, ok)
        f = np.where(active, f**2 / p, f)
    return f, ok


def swap(f: float | np.ndarray, g: float | np.ndarray) -> np.ndarray:
    """Werner fidelity after swapping links of fidelities f and g."""
    return 0.25 + (4 * np.asarray(f) - 1) * (4 * np.asarray(g) - 1) / 12


def rounds_for(qubits: np.ndarray) -> np.ndarray:
    """Purification rounds that q qubits on a link allow: floor(log2 q) (0 for q <= 1)."""
    q = np.maximum(np.asarray(qubits), 1)
    return np.floor(np.log2(q)).astype(int)


class Paper8Testbed(Testbed):
    """The purification/swapping network (topology fixed by ``seed``)."""

    Params = Paper8Params

    def __init__(self, params: Paper8Params, seed: int = 0) -> None:
        import networkx as nx

        self.params = params
        for tries in range(1, 1001):
            rng = np.random.default_rng([seed, 8, tries])
            graph = nx.gnp_random_graph(params.n_nodes, params.edge_prob, seed=int(rng.integers(2**31)))
            if nx.is_connected(graph):
                break
        else:
            raise ConfigError("models.paper8.edge_prob", params.edge_prob,
                              "a denser graph", problem="no connected graph in 1000 tries at")
        for a, b in sorted(graph.edges):
            graph.edges[a, b]["fidelity"] = float(rng.uniform(params.fidelity_low, params.fidelity_high))
        lengths = dict(nx.all_pairs_shortest_path_length(graph))
        ends = max(itertools.combinations(sorted(graph.nodes), 2), key=lambda ab: lengths[ab[0]][ab[1]])
        node_paths = k_shortest_paths(graph, ends[0], ends[1], params.n_paths)
        paths = [PathInfo(tuple(p), float(len(p) - 1)) for p in node_paths]
        self.edge_f = [np.array([graph.edges[a, b]["fidelity"] for a, b in itertools.pairwise(p)])
                       for p in node_paths]
        minimum = tuple(p.links for p in paths)
        total = params.total_qubits if params.total_qubits is not None else sum(minimum) + 2 * len(minimum)
        if total < sum(minimum):
            raise ConfigError("models.paper8.total_qubits", total,
                              f"at least {sum(minimum)} (one qubit per link of the paths)")
        super().__init__("paper8", paths, uniform_capacities(minimum, total), min_per_link=1,
                         info={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                               "topology_tries": tries, "source": ends[0], "target": ends[1]})

    def fidelity(self, path: int, arms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """End-to-end fidelity of each arm and the probability its purifications succeed."""
        f, ok = purify(np.broadcast_to(self.edge_f[path], arms.shape), rounds_for(arms))
        end = f[:, 0]
        for j in range(1, f.shape[1]):
            end = swap(end, f[:, j])
        return end, ok.prod(axis=1)

    def expected(self, path: int, arms: np.ndarray) -> np.ndarray:
        f, ok = self.fidelity(path, arms)
        return f * ok

    def draw(self, path: int, arm: np.ndarray, rng: np.random.Generator) -> float:
        rounds = rounds_for(arm)
        p = self.edge_f[path].copy()
        for r in range(int(rounds.max(initial=0))):
            active = rounds > r
            prob = p**2 + (1 - p) ** 2
            if (rng.random(arm.size)[active] >= prob[active]).any():
                return 0.0
            p = np.where(active, p**2 / prob, p)
        end = p[0]
        for x in p[1:]:
            end = swap(end, x)
        return float(end)
