"""Connection graphs (coupling maps): parsing qgym's accepted formats, named maps, distances."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
import numpy as np

from qray.errors import ConfigError

#: named coupling maps of the routing workload (see ``coupling_graph``)
NAMED_MAPS = ("grid-RxC", "heavy-hex-D", "line-N", "ring-N")
#: the most physical qubits a named map may have: today's largest devices have about a
#: thousand qubits, and routing costs grow with qubits^2 (the distance matrix, the
#: policy's per-edge features); a bigger name (``grid-20000x20000``) is refused before
#: any graph is built instead of exhausting memory
MAX_MAP_QUBITS = 1000


def parse_connection_graph(graph: Any) -> nx.Graph:
    """A networkx graph on nodes ``0..n-1`` from qgym's formats, with qgym 0.3.1's node and
    edge order (the order that decodes actions): a networkx graph (nodes relabeled in
    sorted order, edges in the graph's order), grid sizes (a list or tuple of ints, e.g.
    ``(5, 5)``: ``nx.grid_graph`` relabeled to integers, as qgym) or an adjacency matrix
    (``nx.from_numpy_array``; weights in (0, 1] are fidelities); also an edge list (a qray
    extension)."""
    if isinstance(graph, nx.Graph):
        nodes = sorted(graph.nodes)
        relabel = {v: i for i, v in enumerate(nodes)}
        out = nx.Graph()
        out.add_nodes_from(range(len(nodes)))
        out.add_edges_from((relabel[u], relabel[v], d) for u, v, d in graph.edges(data=True)
                           if u != v)
        return _checked(out, graph)
    if isinstance(graph, (list, tuple)) and graph and isinstance(graph[0], int):
        if not all(isinstance(x, int) and not isinstance(x, bool) and x >= 1 for x in graph):
            raise ValueError(f"connection_graph: grid sizes must be integers >= 1, got "
                             f"{graph!r}")
        return _checked(nx.convert_node_labels_to_integers(nx.grid_graph(list(graph))), graph)
    arr = np.asarray(graph)
    if (arr.ndim == 2 and arr.shape[0] == arr.shape[1]
            and np.issubdtype(arr.dtype, np.number) and (arr >= 0).all() and (arr <= 1).all()
            and np.array_equal(arr, arr.T) and not np.diagonal(arr).any()):
        return _checked(nx.from_numpy_array(arr), graph)  # an adjacency (fidelity) matrix
    if arr.ndim == 2 and arr.shape[1] == 2 and arr.size:
        if not np.issubdtype(arr.dtype, np.integer) or arr.min() < 0:
            raise ValueError("connection_graph: an edge list needs qubit indices >= 0")
        edges = [(int(u), int(v)) for u, v in arr]
        n = max(max(e) for e in edges) + 1
        out = nx.Graph()
        out.add_nodes_from(range(n))
        out.add_edges_from((u, v) for u, v in edges if u != v)
        return _checked(out, graph)
    raise ValueError("connection_graph: expected a networkx graph, grid sizes, an adjacency "
                     f"matrix or an edge list, got {type(graph).__name__} of shape {arr.shape}")


def has_fidelity(graph: nx.Graph) -> bool:
    """Whether an edge carries a ``weight`` other than 0 or 1 (qgym: a fidelity)."""
    return any(w is not None and w not in (0, 1) for _, _, w in graph.edges.data("weight"))


def _checked(g: nx.Graph, given: Any) -> nx.Graph:
    if g.number_of_nodes() < 2 or g.number_of_edges() < 1:
        raise ValueError("connection_graph: needs at least 2 qubits and 1 connection")
    if not nx.is_connected(g):
        raise ValueError("connection_graph: the graph must be connected (every qubit pair "
                         "must be reachable by SWAPs)")
    return g


def heavy_hex_qubits(distance: int) -> int:
    """Qubits of ``CouplingMap.from_heavy_hex(distance)``: (5 d^2 - 2 d - 1) / 2."""
    return (5 * distance * distance - 2 * distance - 1) // 2


def coupling_graph(name: str, key: str = "coupling_map") -> nx.Graph:
    """A named coupling map: ``grid-5x5``, ``heavy-hex-3`` (19 qubits, Qiskit's
    ``CouplingMap.from_heavy_hex(3)``; ``heavy-hex-19`` is accepted for it), ``line-25``,
    ``ring-8``. A map has at most ``MAX_MAP_QUBITS`` (1000) qubits, checked before the
    graph is built."""
    def bad(problem: str = "unknown coupling map") -> ConfigError:
        return ConfigError(key, name, "grid-RxC, heavy-hex-D (odd D >= 3, or heavy-hex-19), "
                           "line-N (N >= 2), ring-N (N >= 3), with at most "
                           f"{MAX_MAP_QUBITS} qubits", problem=problem)

    def bounded(qubits: int) -> None:
        if qubits > MAX_MAP_QUBITS:
            raise bad(f"too large ({qubits} qubits, more than {MAX_MAP_QUBITS}):")

    kind, _, size = str(name).rpartition("-")
    try:
        if kind == "grid":
            rows, cols = (int(x) for x in size.split("x"))
            if rows < 1 or cols < 1 or rows * cols < 2:
                raise bad("too small")
            bounded(rows * cols)
            g = nx.convert_node_labels_to_integers(nx.grid_2d_graph(rows, cols), ordering="sorted")
        elif kind == "line":
            n = int(size)
            if n < 2:
                raise bad("too small")
            bounded(n)
            g = nx.path_graph(n)
        elif kind == "ring":
            n = int(size)
            if n < 3:
                raise bad("too small")
            bounded(n)
            g = nx.cycle_graph(n)
        elif kind == "heavy-hex":
            d = int(size)
            d = {19: 3, 57: 5, 115: 7}.get(d, d)
            if d < 3 or d % 2 == 0:
                raise bad("heavy-hex distance must be odd and >= 3")
            bounded(heavy_hex_qubits(d))
            from qiskit.transpiler import CouplingMap

            g = nx.Graph()
            cm = CouplingMap.from_heavy_hex(d, bidirectional=False)
            g.add_nodes_from(range(cm.size()))
            g.add_edges_from(cm.get_edges())
        else:
            raise bad()
    except ValueError as exc:
        if isinstance(exc, ConfigError):
            raise
        raise bad() from None
    return g


def canonical_map(name: str, key: str = "coupling_map") -> str:
    """The one spelling of a coupling map's name (``grid-05x5`` is ``grid-5x5``; the
    heavy-hex maps of distance 3, 5 and 7 go by their qubits, ``heavy-hex-19``); a
    ConfigError naming ``key`` for a map that does not exist."""
    coupling_graph(name, key)
    kind, _, size = str(name).rpartition("-")
    if kind == "grid":
        rows, cols = (int(x) for x in size.split("x"))
        return f"grid-{rows}x{cols}"
    if kind == "heavy-hex":
        d = {19: 3, 57: 5, 115: 7}.get(int(size), int(size))
        return f"heavy-hex-{ {3: 19, 5: 57, 7: 115}.get(d, d)}"
    return f"{kind}-{int(size)}"


def graph_from_spec(spec: Any, key: str = "coupling_map") -> nx.Graph:
    """A named map (str) or any format ``parse_connection_graph`` takes."""
    if isinstance(spec, str):
        return coupling_graph(spec, key)
    try:
        return parse_connection_graph(spec)
    except ValueError as exc:
        raise ConfigError(key, spec, "a named coupling map or a graph", problem=str(exc)) from None


def to_graph(coupling_map: Any) -> nx.Graph:
    """A named map, a Qiskit ``CouplingMap``, a networkx graph, adjacency or edge list."""
    if hasattr(coupling_map, "get_edges") and hasattr(coupling_map, "size"):
        g = nx.Graph()
        g.add_nodes_from(range(coupling_map.size()))
        g.add_edges_from(coupling_map.get_edges())
        return graph_from_spec(g)
    return graph_from_spec(coupling_map)


def sorted_edges(g: nx.Graph) -> tuple[tuple[int, int], ...]:
    """The fixed action order: edges as (low, high), sorted."""
    return tuple(sorted((min(u, v), max(u, v)) for u, v in g.edges))


def distance_matrix(g: nx.Graph) -> np.ndarray:
    """All-pairs shortest-path lengths (int32)."""
    n = g.number_of_nodes()
    dist = np.zeros((n, n), dtype=np.int32)
    for src, lengths in nx.all_pairs_shortest_path_length(g):
        for dst, d in lengths.items():
            dist[src, dst] = d
    return dist


def edge_list(edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Both directions of each edge, as Qiskit's ``CouplingMap`` takes them."""
    return [[u, v] for a, b in edges for u, v in ((a, b), (b, a))]
