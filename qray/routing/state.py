"""``RoutingState``: the mutable state of one routing episode, updated in place.

``mapping[p]`` is the logical qubit on physical qubit ``p``; ``where[l]`` is the physical
qubit of logical ``l``. A SWAP on the physical edge (p, q) exchanges ``mapping[p]`` and
``mapping[q]`` and moves the two *logical* qubits it found there (the studied code used the
physical endpoints as logical indices, so after overlapping SWAPs its legality signal was
wrong). Nothing is copied per step.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from qray.routing.graphs import distance_matrix, sorted_edges


class RoutingState:
    """Connection graph, interaction circuit, position and mapping of one episode."""

    def __init__(self, connection_graph: nx.Graph, interaction_generator: Any,
                 max_observation_reach: int) -> None:
        self.connection_graph = connection_graph
        self.num_nodes = n = connection_graph.number_of_nodes()
        self.edges: tuple[tuple[int, int], ...] = sorted_edges(connection_graph)
        self.interaction_generator = interaction_generator
        self.reach = self.max_observation_reach = int(max_observation_reach)
        self.distance = distance_matrix(connection_graph)
        self.diameter = int(self.distance.max())
        adj = np.zeros((n + 1, n + 1), dtype=bool)  # row/column n: padding, never adjacent
        for u, v in self.edges:
            adj[u, v] = adj[v, u] = True
        self.adjacency = adj
        self._neighbors = [set(connection_graph.neighbors(p)) for p in range(n)]
        self.adjacency_flat = adj[:n, :n].astype(np.int8).reshape(-1)
        self.steps_done = 0
        self.position = 0
        self.truncated = False  # set by the env before the rewarder runs
        self.swap_gates_inserted: list[tuple[int, int, int]] = []
        self.mapping = np.arange(n, dtype=np.int32)
        self.where = np.arange(n + 1, dtype=np.int32)  # where[n] = n: the padding qubit
        self.interaction_circuit = np.zeros((0, 2), dtype=np.int32)
        self._padded = np.full((self.reach, 2), n, dtype=np.int32)

    # -- episode ----------------------------------------------------------------------
    def reset(self, interaction_circuit: Any = None, mapping: Any = None) -> None:
        """New episode: ``interaction_circuit`` (else the generator's) and an initial
        ``mapping`` (physical -> logical permutation; default the identity)."""
        n = self.num_nodes
        circuit = (self.interaction_generator.generate() if interaction_circuit is None
                   else interaction_circuit)
        raw = np.asarray(circuit)
        if raw.size == 0:
            raw = raw.reshape(0, 2).astype(np.int64)
        if raw.ndim != 2 or raw.shape[1] != 2 or not np.issubdtype(raw.dtype, np.integer):
            raise ValueError(f"interaction_circuit: expected integer qubit pairs of shape "
                             f"(k, 2), got dtype {raw.dtype} and shape {raw.shape}")
        circuit = raw.astype(np.int32)
        if circuit.size and (circuit.min() < 0 or circuit.max() >= n):
            raise ValueError(f"interaction_circuit: qubits must be in [0, {n}), got "
                             f"{circuit.min()}..{circuit.max()}")
        if circuit.size and (circuit[:, 0] == circuit[:, 1]).any():
            raise ValueError("interaction_circuit: a gate acts twice on the same qubit")
        if mapping is None:
            self.mapping = np.arange(n, dtype=np.int32)
        else:
            m = np.asarray(mapping, dtype=np.int32)
            if m.shape != (n,) or sorted(m.tolist()) != list(range(n)):
                raise ValueError(f"mapping: must be a permutation of 0..{n - 1}")
            self.mapping = m.copy()
        self.where = np.empty(n + 1, dtype=np.int32)
        self.where[self.mapping] = np.arange(n, dtype=np.int32)
        self.where[n] = n
        self.interaction_circuit = circuit
        self._padded = np.concatenate(
            [circuit, np.full((self.reach, 2), n, dtype=np.int32)])
        self._pairs = circuit.tolist()
        self.position = 0
        self.steps_done = 0
        self.truncated = False
        self.swap_gates_inserted = []

    def is_done(self) -> bool:
        return self.position >= len(self._pairs)

    # -- queries ----------------------------------------------------------------------
    def front_executable(self) -> bool:
        """Whether the next gate acts on adjacent physical qubits now."""
        if self.position >= len(self._pairs):
            return False
        a, b = self._pairs[self.position]
        return int(self.where[b]) in self._neighbors[int(self.where[a])]

    def gates_ahead(self) -> np.ndarray:
        """The next ``reach`` gates (logical pairs, padded with ``num_nodes``), (reach, 2)."""
        return self._padded[self.position:self.position + self.reach]

    def legal_window(self) -> np.ndarray:
        """For each gate ahead: does it act on adjacent physical qubits (padding: False)."""
        w = self.where[self.gates_ahead()]
        return self.adjacency[w[:, 0], w[:, 1]]

    # -- actions ----------------------------------------------------------------------
    def swap(self, edge_index: int) -> None:
        """SWAP the logical qubits on the physical edge ``edges[edge_index]`` (recorded as
        ``(position, logical_1, logical_2)``: before gate ``position``)."""
        p, q = self.edges[edge_index]
        lp, lq = int(self.mapping[p]), int(self.mapping[q])
        self.mapping[p], self.mapping[q] = lq, lp
        self.where[lp], self.where[lq] = q, p
        self.swap_gates_inserted.append((self.position, lp, lq))

    def surpass(self) -> bool:
        """Move past the next gate if it is executable; returns whether it was."""
        if self.front_executable():
            self.position += 1
            return True
        return False
