"""``paper7``: Liu et al., QBGP (INFOCOM 2024): inter-domain routing on an AS-level graph.

A synthetic Barabasi-Albert graph (n nodes, m edges per new node, seeded) or a SNAP/Route
Views AS edge list (tab- or space-separated ``a b`` lines, ``#`` comments). Three random
"ISP" nodes; the k shortest paths of each of the three pairs are the candidate paths (15 by
default; the allocator is given exactly that many capacities). Each path's context is
[hops, mean degree, length] (edge lengths U(1, 10) per edge, seeded) and its base reward
is max(0.1, 10 - x) with x = hops (``reward: hops``), mean degree / 10 (``degree``),
length / 10 (``length``) or 0.5 hops + 0.3 degree/10 + 0.2 length/10 (``weighted``).
A frame earns the base reward when every link of the path delivers (each of its q qubits
succeeds with probability ``link_success``), else 0.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qray.errors import ConfigError
from qray.netsim.physics.base import (
    PathInfo,
    Testbed,
    k_shortest_paths,
    multiplexed,
    path_length,
    uniform_capacities,
)

REWARDS = ("hops", "degree", "length", "weighted")


@dataclass(frozen=True)
class Paper7Params:
    """Attributes:
        n_nodes, m: Barabasi-Albert graph size and attachment.
        edge_list: path of an AS edge list to use instead of the synthetic graph.
        n_isps: ISP nodes (paths join every pair of them).
        k: shortest paths per ISP pair.
        reward: ``hops``, ``degree``, ``length`` or ``weighted``.
        link_success: a qubit's chance to establish its link in a frame.
        total_qubits: qubits over all paths (default: one per link plus 2 per path).
    """

    n_nodes: int = 1000
    m: int = 3
    edge_list: str | None = None
    n_isps: int = 3
    k: int = 5
    reward: str = "hops"
    link_success: float = 0.6
    total_qubits: int | None = None

    def __post_init__(self) -> None:
        k = "models.paper7."
        if self.edge_list is None and not 1 <= self.m < self.n_nodes:
            raise ConfigError(k + "m", self.m, f"an integer in 1..{self.n_nodes - 1}")
        if self.edge_list is not None and not Path(self.edge_list).expanduser().is_file():
            raise ConfigError(k + "edge_list", self.edge_list, "an existing edge-list file",
                              problem="no such file")
        if self.edge_list is None and self.n_nodes < 2:
            raise ConfigError(k + "n_nodes", self.n_nodes, "an integer >= 2")
        if self.n_isps < 2:
            raise ConfigError(k + "n_isps", self.n_isps, "an integer >= 2")
        if self.k < 1:
            raise ConfigError(k + "k", self.k, "an integer >= 1")
        if self.reward not in REWARDS:
            raise ConfigError(k + "reward", self.reward, ", ".join(REWARDS))
        if not 0 < self.link_success <= 1:
            raise ConfigError(k + "link_success", self.link_success, "a probability in (0, 1]")


def load_edge_list(path: str | Path):  # noqa: ANN201
    """An AS graph from a SNAP / Route Views edge list (largest connected component)."""
    import networkx as nx

    graph = nx.Graph()
    for line in Path(path).expanduser().read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        a, b, *_ = line.split()
        if a != b:
            graph.add_edge(a, b)
    if graph.number_of_nodes() == 0:
        raise ConfigError("models.paper7.edge_list", str(path), "a file with 'a b' edge lines",
                          problem="no edges in")
    return graph.subgraph(max(nx.connected_components(graph), key=len)).copy()


class Paper7Testbed(Testbed):
    """ISP-to-ISP paths on an AS-level graph (topology fixed by ``seed``)."""

    Params = Paper7Params

    def __init__(self, params: Paper7Params, seed: int = 0) -> None:
        import networkx as nx

        self.params = params
        rng = np.random.default_rng([seed, 7])
        if params.edge_list:
            graph = load_edge_list(params.edge_list)
        else:
            graph = nx.barabasi_albert_graph(params.n_nodes, params.m, seed=int(rng.integers(2**31)))
        nodes = sorted(graph.nodes, key=str)
        if len(nodes) < params.n_isps:
            raise ConfigError("models.paper7.n_isps", params.n_isps,
                              f"at most {len(nodes)} (the graph's nodes)")
        for a, b in sorted(graph.edges, key=lambda e: (str(e[0]), str(e[1]))):
            graph.edges[a, b]["length"] = float(rng.uniform(1, 10))
        isps = [nodes[i] for i in rng.choice(len(nodes), params.n_isps, replace=False)]
        paths: list[PathInfo] = []
        for a, b in itertools.combinations(isps, 2):
            for p in k_shortest_paths(graph, a, b, params.k):
                hops = len(p) - 1
                degree = float(np.mean([graph.degree[v] for v in p]))
                length = path_length(graph, p, "length")
                paths.append(PathInfo(tuple(p), length, (float(hops), degree, length)))
        minimum = tuple(p.links for p in paths)
        total = params.total_qubits if params.total_qubits is not None else sum(minimum) + 2 * len(minimum)
        if total < sum(minimum):
            raise ConfigError("models.paper7.total_qubits", total,
                              f"at least {sum(minimum)} (one qubit per link of the paths)")
        self.base = np.array([self.base_reward(p.features, params.reward) for p in paths])
        super().__init__("paper7", paths, uniform_capacities(minimum, total), min_per_link=1,
                         reward_range=(0.0, float(self.base.max())),
                         info={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                               "isps": [str(v) for v in isps]})

    @staticmethod
    def base_reward(features: tuple[float, ...], variant: str) -> float:
        """max(0.1, 10 - x) for the reward variant's x."""
        hops, degree, length = features
        x = {"hops": hops, "degree": degree / 10, "length": length / 10,
             "weighted": 0.5 * hops + 0.3 * degree / 10 + 0.2 * length / 10}[variant]
        return max(0.1, 10.0 - x)

    def expected(self, path: int, arms: np.ndarray) -> np.ndarray:
        return self.base[path] * multiplexed(self.params.link_success, arms).prod(axis=1)

    def draw(self, path: int, arm: np.ndarray, rng: np.random.Generator) -> float:
        ok = (rng.random(arm.size) < multiplexed(self.params.link_success, arm)).all()
        return float(self.base[path]) if ok else 0.0
