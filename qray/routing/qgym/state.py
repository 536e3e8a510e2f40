"""``RoutingState``: the state of one routing episode, with qgym 0.3.1's ``RoutingState``
API (constructor, attributes, ``update_state``, ``obtain_observation``, ``obtain_info``,
``is_legal_surpass``...), updated in place.

``mapping[l]`` is the physical qubit of logical ``l`` (qgym's meaning); ``occupant[p]`` is
the logical qubit on physical ``p``. A SWAP on the physical edge ``edges[a] = (p, q)``
exchanges the two *logical* qubits it finds there (qgym 0.3.1 used the edge's physical
endpoints as logical indices, so after overlapping SWAPs its legality signal was wrong),
recorded as ``(position, occupant[p], occupant[q])`` before the swap. Nothing is copied per
step: a rewarder that needs the state before the action gets a :meth:`copy`.
"""

from __future__ import annotations

import copy as _copy
from collections import deque
from typing import Any

import networkx as nx
import numpy as np

from qray.routing.circuits.graphs import distance_matrix, has_fidelity
from qray.routing.qgym.compat import spaces


class RoutingState:
    """Connection graph, interaction circuit, position and mapping of one episode."""

    def __init__(self, *, interaction_generator: Any, max_observation_reach: int,
                 connection_graph: nx.Graph, observe_legal_surpasses: bool,
                 observe_connection_graph: bool) -> None:
        self.connection_graph = connection_graph
        self.num_nodes = n = connection_graph.number_of_nodes()
        #: action ``a < len(edges)`` swaps on ``edges[a]`` (networkx's edge order, as qgym)
        self.edges: list[tuple[int, int]] = [(int(u), int(v))
                                             for u, v in connection_graph.edges]
        self.interaction_generator = interaction_generator
        self.reach = self.max_observation_reach = int(max_observation_reach)
        self.observe_legal_surpasses = bool(observe_legal_surpasses)
        if observe_connection_graph:
            dtype = np.float64 if has_fidelity(connection_graph) else np.bool_
            self.connection_matrix = nx.to_numpy_array(
                connection_graph, nodelist=range(n), dtype=dtype).flatten()
        self.distance = distance_matrix(connection_graph)
        self.diameter = int(self.distance.max())
        adj = np.zeros((n + 1, n + 1), dtype=bool)  # row/column n: padding, never adjacent
        for u, v in self.edges:
            adj[u, v] = adj[v, u] = True
        self.adjacency = adj
        self._legal = adj.copy()
        self._legal[n, n] = True  # a padded gate counts as executable (qgym's window)
        self._neighbors = [set(connection_graph.neighbors(p)) for p in range(n)]
        self.steps_done = 0
        self.position = 0
        self.truncated = False  # set by the env before the rewarder runs
        self.illegal_actions = 0
        self.swap_gates_inserted: deque[tuple[int, int, int]] = deque()
        self._set_mapping(None)
        self._set_circuit(next(interaction_generator))

    # -- qgym's State API -------------------------------------------------------------
    @property
    def n_qubits(self) -> int:
        """Physical qubits of the connection graph."""
        return self.num_nodes

    @property
    def n_connections(self) -> int:
        """Edges of the connection graph (the surpass action is ``n_connections``)."""
        return len(self.edges)

    def seed(self, seed: int | None = None) -> list[int | None]:
        """Reseed the state's generator (qgym's ``State.seed``)."""
        self._rng = np.random.default_rng(seed)
        return [seed]

    @property
    def rng(self) -> np.random.Generator:
        if getattr(self, "_rng", None) is None:
            self._rng = np.random.default_rng()
        return self._rng

    def reset(self, *, seed: int | None = None, interaction_circuit: Any = None,
              mapping: Any = None, **_kwargs: Any) -> RoutingState:
        """New episode: ``interaction_circuit`` (else the generator's next) and an initial
        ``mapping`` (logical -> physical permutation; default the identity)."""
        if seed is not None:
            self.seed(seed)
        self._set_mapping(mapping)
        self._set_circuit(next(self.interaction_generator) if interaction_circuit is None
                          else interaction_circuit)
        self.position = 0
        self.steps_done = 0
        self.truncated = False
        self.illegal_actions = 0
        self.swap_gates_inserted = deque()
        return self

    def update_state(self, action: int) -> RoutingState:
        """Apply ``action``: a SWAP on ``edges[action]``, or at ``n_connections`` a
        surpass of the next gate when it is executable (else nothing: illegal)."""
        self.steps_done += 1
        if action == len(self.edges):
            if not self.surpass():
                self.illegal_actions += 1
        else:
            self.swap(action)
        return self

    def is_done(self) -> bool:
        return self.position >= len(self._pairs)

    def is_truncated(self) -> bool:
        return self.truncated

    def is_legal_surpass(self, logical_qubit1: int, logical_qubit2: int) -> bool:
        """Whether a gate on these logical qubits acts on adjacent physical qubits now (a
        padded gate, qubit ``n_qubits``, is legal, as in qgym)."""
        return bool(self._legal[self.where[logical_qubit1], self.where[logical_qubit2]])

    def create_observation_space(self) -> spaces.Dict:
        """qgym's observation space (keys in qgym's order)."""
        n, reach = self.num_nodes, self.reach
        obs: dict[str, spaces.Space] = {
            "interaction_gates_ahead": spaces.MultiDiscrete(np.full(2 * reach, n + 1)),
            "mapping": spaces.MultiDiscrete(np.full(n, n)),
        }
        if hasattr(self, "connection_matrix"):
            if self.connection_matrix.dtype == np.bool_:
                obs["connection_graph"] = spaces.MultiBinary(n * n)
            else:
                obs["connection_graph"] = spaces.Box(0, 1, (n * n,), np.float64)
        if self.observe_legal_surpasses:
            obs["is_legal_surpass"] = spaces.MultiBinary(reach)
        return spaces.Dict(obs)

    def obtain_observation(self) -> dict[str, np.ndarray]:
        """The gates ahead (padded with ``n_qubits``), the mapping and the optional keys;
        arrays are copies, so a kept observation does not change with the state."""
        obs = {"interaction_gates_ahead": self.gates_ahead().reshape(-1).copy(),
               "mapping": self.mapping.copy()}
        if hasattr(self, "connection_matrix"):
            obs["connection_graph"] = self.connection_matrix.copy()
        if self.observe_legal_surpasses:
            obs["is_legal_surpass"] = self.legal_window()
        return obs

    def obtain_info(self) -> dict[str, Any]:
        """qgym's info keys."""
        return {"Steps done": self.steps_done, "Position": self.position,
                # as qgym: the gates not surpassed yet, (k, 2); at the end an empty (0,)
                "Interaction gates ahead": (self.interaction_circuit[self.position:]
                                            if not self.is_done() else np.array([])),
                "Number of swaps inserted": len(self.swap_gates_inserted),
                "Swap gates inserted": self.swap_gates_inserted,
                "Action Encoding": self.edges}

    def copy(self) -> RoutingState:
        """A copy whose episode fields (mapping, position, SWAPs) are independent; graph,
        generator and distances are shared."""
        new = _copy.copy(self)
        new.where = self.where.copy()
        new.mapping = new.where[:self.num_nodes]
        new.occupant = self.occupant.copy()
        new.swap_gates_inserted = deque(self.swap_gates_inserted)
        return new

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
        """For each gate ahead: is it executable now (a padded slot: True, as in qgym)."""
        w = self.where[self.gates_ahead()]
        return self._legal[w[:, 0], w[:, 1]]

    # -- actions ----------------------------------------------------------------------
    def swap(self, edge_index: int) -> None:
        """SWAP the logical qubits on the physical edge ``edges[edge_index]`` (recorded as
        ``(position, logical_1, logical_2)``: before gate ``position``)."""
        p, q = self.edges[edge_index]
        lp, lq = int(self.occupant[p]), int(self.occupant[q])
        self.occupant[p], self.occupant[q] = lq, lp
        self.where[lp], self.where[lq] = q, p
        self.swap_gates_inserted.append((self.position, lp, lq))

    def surpass(self) -> bool:
        """Move past the next gate if it is executable; returns whether it was."""
        if self.front_executable():
            self.position += 1
            return True
        return False

    # -- helpers ----------------------------------------------------------------------
    def _set_mapping(self, mapping: Any) -> None:
        n = self.num_nodes
        if mapping is None:
            m = np.arange(n, dtype=np.int_)
        else:
            m = np.asarray(mapping)
            if (m.shape != (n,) or not np.issubdtype(m.dtype, np.integer)
                    or sorted(m.tolist()) != list(range(n))):
                raise ValueError(f"mapping: must be a permutation of 0..{n - 1} (logical "
                                 f"-> physical), got {mapping!r}")
        #: where[l]: physical qubit of logical l; where[n] = n (the padding qubit)
        self.where = np.append(m.astype(np.int_), n)
        self.mapping = self.where[:n]  # a view: qgym's logical -> physical mapping
        self.occupant = np.empty(n, dtype=np.int_)
        self.occupant[self.mapping] = np.arange(n, dtype=np.int_)

    @property
    def interaction_circuit(self) -> np.ndarray:
        """The episode's gates: logical qubit pairs, shape (k, 2)."""
        return self._interaction_circuit

    @interaction_circuit.setter
    def interaction_circuit(self, circuit: Any) -> None:
        """Replace the circuit as qgym's tests do (``state.interaction_circuit = ...``):
        validated, and every array derived from it rebuilt, so the state routes it."""
        self._set_circuit(circuit)

    def _set_circuit(self, circuit: Any) -> None:
        n = self.num_nodes
        raw = np.asarray(circuit)
        if raw.size == 0:
            raw = raw.reshape(0, 2).astype(np.int_)
        if raw.ndim != 2 or raw.shape[1] != 2 or not np.issubdtype(raw.dtype, np.integer):
            raise ValueError(f"interaction_circuit: expected integer qubit pairs of shape "
                             f"(k, 2), got dtype {raw.dtype} and shape {raw.shape}")
        pairs = raw.astype(np.int_)
        if pairs.size and (pairs.min() < 0 or pairs.max() >= n):
            raise ValueError(f"interaction_circuit: qubits must be in [0, {n}), got "
                             f"{pairs.min()}..{pairs.max()}")
        if pairs.size and (pairs[:, 0] == pairs[:, 1]).any():
            raise ValueError("interaction_circuit: a gate acts twice on the same qubit")
        self._interaction_circuit = pairs
        self._padded = np.concatenate([pairs, np.full((self.reach, 2), n, dtype=np.int_)])
        self._pairs = pairs.tolist()
