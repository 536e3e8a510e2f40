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

REWARDS = ("hops", "degree", "length", "weighted")
KEY = "models.paper7."
#: most nodes of the synthetic graph (the AS-level Internet has about 75,000 ASes)
MAX_NODES = 100_000
#: most edges per new node of the synthetic graph
MAX_M = 50
#: most edges of a topology (synthetic: n_nodes * m; an edge list: its edge lines)
MAX_EDGES = 1_000_000
#: largest edge-list file read (a full Route Views AS graph is a few MiB)
MAX_EDGE_LIST_BYTES = 64 * 2**20
#: most ISP nodes (their pairs times k are the candidate paths)
MAX_ISPS = 10
EDGE_LIST_FORMAT = ("a UTF-8 text file of edge lines 'a b' (two node ids separated by "
                    "tabs or spaces; '#' comment lines)")


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
        k = KEY
        if self.edge_list is None:
            # sizes first: nothing is built from an absurd n_nodes or m
            if self.n_nodes < 2:
                raise ConfigError(k + "n_nodes", self.n_nodes, "an integer >= 2")
            check_range(k + "n_nodes", self.n_nodes, 2, MAX_NODES, integer=True,
                        why="nodes of the synthetic Barabasi-Albert AS graph")
            most_m = min(self.n_nodes - 1, MAX_M, MAX_EDGES // self.n_nodes)
            if not 1 <= self.m <= most_m:
                raise ConfigError(k + "m", self.m, f"an integer in 1..{most_m} (edges per new "
                                  f"node: fewer than n_nodes={self.n_nodes}, at most {MAX_M}, "
                                  f"and n_nodes * m at most {MAX_EDGES:,} edges)",
                                  problem="out of range")
        else:
            check_edge_list_file(self.edge_list)
        if self.n_isps < 2:
            raise ConfigError(k + "n_isps", self.n_isps, "an integer >= 2")
        check_range(k + "n_isps", self.n_isps, 2, MAX_ISPS, integer=True,
                    why="ISP nodes; the paths join every pair of them")
        if self.k < 1:
            raise ConfigError(k + "k", self.k, "an integer >= 1")
        pairs = self.n_isps * (self.n_isps - 1) // 2
        most_k = max(1, MAX_PATHS // pairs)
        check_range(k + "k", self.k, 1, most_k, integer=True,
                    why=f"shortest paths per ISP pair: {pairs} pairs x k paths, at most "
                        f"{MAX_PATHS} paths")
        check_total_qubits(k + "total_qubits", self.total_qubits)
        if self.reward not in REWARDS:
            raise ConfigError(k + "reward", self.reward, ", ".join(REWARDS))
        if not 0 < self.link_success <= 1:
            raise ConfigError(k + "link_success", self.link_success, "a probability in (0, 1]")


def check_edge_list_file(path: str | Path) -> Path:
    """The edge list's path, if it is an existing file of at most
    :data:`MAX_EDGE_LIST_BYTES` (checked before anything is read)."""
    key = KEY + "edge_list"
    p = Path(path).expanduser()
    if not p.is_file():
        raise ConfigError(key, str(path), "an existing edge-list file",
                          problem="not a file:" if p.exists() else "no such file")
    size = p.stat().st_size
    if size > MAX_EDGE_LIST_BYTES:
        raise ConfigError(key, str(path), f"an edge-list file of at most "
                          f"{MAX_EDGE_LIST_BYTES // 2**20} MiB",
                          problem=f"too large ({size / 2**20:,.1f} MiB):")
    return p


def _edge_list_error(path: str | Path, problem: str) -> ConfigError:
    return ConfigError(KEY + "edge_list", str(path), EDGE_LIST_FORMAT, problem=problem)


def read_edges(path: str | Path) -> list[tuple[str, str]]:
    """The ``(a, b)`` edges of a SNAP / Route Views edge list (self-loops dropped).

    Raises:
        ConfigError: naming ``models.paper7.edge_list``, the file and the line, for a file
            that is too large, not UTF-8 text, has a line with fewer than two node ids, more
            than :data:`MAX_EDGES` edges or no edge at all.
    """
    try:
        data = check_edge_list_file(path).read_bytes()
    except OSError as exc:
        raise _edge_list_error(path, f"cannot read ({exc.strerror or exc})") from None
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # a byte-order mark is no node id
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        line = data.count(b"\n", 0, at) + 1
        column = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise _edge_list_error(path, f"line {line} is not UTF-8 text (byte "
                               f"0x{data[at]:02x} at column {column}) in") from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise _edge_list_error(path, f"line {line} holds a NUL byte (a binary file?) in")
    edges: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) < 2:
            shown = line if len(line) <= 40 else line[:37] + "..."
            raise _edge_list_error(path, f"line {number} has {len(fields)} field ({shown!r}) "
                                   "where an edge needs two node ids, in")
        if len(edges) >= MAX_EDGES:
            raise _edge_list_error(path, f"more than {MAX_EDGES:,} edges (line {number}) in")
        a, b = fields[0], fields[1]
        if a != b:
            edges.append((a, b))
    if not edges:
        raise _edge_list_error(path, "no edges in")
    return edges


def load_edge_list(path: str | Path):  # noqa: ANN201
    """An AS graph from a SNAP / Route Views edge list (largest connected component)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_edges_from(read_edges(path))
    if graph.number_of_nodes() > MAX_NODES:
        raise _edge_list_error(path, f"{graph.number_of_nodes():,} nodes (at most "
                               f"{MAX_NODES:,}) in")
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
