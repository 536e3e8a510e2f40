"""Front-layer routing: the state SABRE works on, as an env and for search.

The two-qubit gates of a circuit form a DAG (a gate follows the previous gate on each of
its qubits). The *front layer* is the gates whose predecessors have all run; its gates act
on disjoint qubits. After every SWAP each executable front gate runs, and so do the gates
that become front and executable in turn, so a router only ever chooses SWAPs, and it may
serve any front gate, not just the next one in circuit order (qgym's mode).

``FrontLayerState`` keeps the mapping (``where``: logical -> physical, ``occupant``:
physical -> logical) and the events (``("swap", a, b)`` on logical qubits, ``("gate", g)``)
from which ``route_front`` writes the routed Qiskit circuit. ``copy()`` is cheap (arrays
and counters), so searches branch on it.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from qray.routing.circuits.graphs import distance_matrix


class FrontTopology:
    """What every state on one connection graph shares: edges (networkx order, as the env's
    actions), distances, adjacency."""

    def __init__(self, graph: nx.Graph) -> None:
        self.graph = graph
        self.n = graph.number_of_nodes()
        self.edges: list[tuple[int, int]] = [(int(u), int(v)) for u, v in graph.edges]
        self.eu = np.array([u for u, _ in self.edges], dtype=np.int64)
        self.ev = np.array([v for _, v in self.edges], dtype=np.int64)
        self.distance = distance_matrix(graph)
        self.diameter = int(self.distance.max())
        self.adjacent = self.distance == 1
        #: the edges at each physical qubit
        self.edges_at: list[list[int]] = [[] for _ in range(self.n)]
        for i, (u, v) in enumerate(self.edges):
            self.edges_at[u].append(i)
            self.edges_at[v].append(i)


class FrontLayerState:
    """One circuit's routing on one topology, in front-layer mode."""

    def __init__(self, topology: FrontTopology, pairs: Any, mapping: Any = None,
                 preds: list[list[int]] | None = None) -> None:
        """``pairs``: the two-qubit gates (logical); ``preds``: each gate's predecessors
        (default: the previous gate on each of its qubits; ``front_dag`` adds those a
        barrier imposes)."""
        self.topo = topology
        n = topology.n
        self.pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if self.pairs.size and (self.pairs.min() < 0 or self.pairs.max() >= n):
            raise ValueError(f"interaction_circuit: qubits must be in [0, {n})")
        if self.pairs.size and (self.pairs[:, 0] == self.pairs[:, 1]).any():
            raise ValueError("interaction_circuit: a gate acts twice on the same qubit")
        k = len(self.pairs)
        if preds is None:
            preds = [[] for _ in range(k)]
            last: dict[int, int] = {}
            for g, (a, b) in enumerate(self.pairs.tolist()):
                preds[g] = sorted({last[q] for q in (a, b) if q in last})
                last[a] = last[b] = g
        self.successors: list[list[int]] = [[] for _ in range(k)]
        unmet = np.zeros(k, dtype=np.int64)
        for g, ps in enumerate(preds):
            for p in ps:
                self.successors[p].append(g)
            unmet[g] = len(ps)
        self.unmet = unmet
        self.where = (np.arange(n, dtype=np.int64) if mapping is None
                      else np.asarray(mapping, dtype=np.int64).copy())
        self.occupant = np.empty(n, dtype=np.int64)
        self.occupant[self.where] = np.arange(n, dtype=np.int64)
        self.front: list[int] = [g for g in range(k) if unmet[g] == 0]
        self.done_count = 0
        self.swaps = 0
        self.steps = 0
        self.events: list[tuple] = []
        self.last_swap: tuple[int, int] | None = None  # physical qubits of the last SWAP
        self.execute_ready()

    # -- queries ------------------------------------------------------------------------
    def is_done(self) -> bool:
        return self.done_count == len(self.pairs)

    def front_pairs(self) -> np.ndarray:
        """The front layer's gates as physical pairs, (f, 2)."""
        if not self.front:
            return np.zeros((0, 2), dtype=np.int64)
        return self.where[self.pairs[self.front]]

    def lookahead(self, size: int) -> list[int]:
        """Up to ``size`` gates after the front layer, breadth first through the DAG
        (SABRE's extended set)."""
        out: list[int] = []
        seen = set(self.front)
        layer = list(self.front)
        while layer and len(out) < size:
            nxt = []
            for g in layer:
                for s in self.successors[g]:
                    if s not in seen:
                        seen.add(s)
                        nxt.append(s)
                        out.append(s)
                        if len(out) == size:
                            return out
            layer = nxt
        return out

    def candidate_edges(self) -> list[int]:
        """SWAPs touching a qubit of a front gate (SABRE's candidates): never empty while
        gates remain on a connected graph."""
        found: set[int] = set()
        for p in self.front_pairs().reshape(-1).tolist():
            found.update(self.topo.edges_at[p])
        return sorted(found)

    # -- actions ------------------------------------------------------------------------
    def swap(self, edge_index: int) -> int:
        """SWAP on ``edges[edge_index]``, then run what became executable; returns how
        many gates ran."""
        p, q = self.topo.edges[edge_index]
        lp, lq = int(self.occupant[p]), int(self.occupant[q])
        self.occupant[p], self.occupant[q] = lq, lp
        self.where[lp], self.where[lq] = q, p
        self.events.append(("swap", lp, lq))
        self.swaps += 1
        self.steps += 1
        self.last_swap = (p, q)
        return self.execute_ready()

    def execute_ready(self) -> int:
        """Run every executable front gate, and those they make front and executable."""
        ran = 0
        changed = True
        while changed:
            changed = False
            keep = []
            for g in self.front:
                a, b = self.pairs[g]
                if self.topo.adjacent[self.where[a], self.where[b]]:
                    self.events.append(("gate", g))
                    self.done_count += 1
                    ran += 1
                    changed = True
                    for s in self.successors[g]:
                        self.unmet[s] -= 1
                        if self.unmet[s] == 0:
                            keep.append(s)
                else:
                    keep.append(g)
            self.front = keep
        return ran

    def copy(self) -> FrontLayerState:
        new = object.__new__(FrontLayerState)
        new.__dict__.update(self.__dict__)
        new.unmet = self.unmet.copy()
        new.where = self.where.copy()
        new.occupant = self.occupant.copy()
        new.front = list(self.front)
        new.events = list(self.events)
        return new
