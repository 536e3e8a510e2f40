"""The learned router's observation and action mask, a pure function of ``RoutingState``.

Per physical edge e (in the env's action order), what a SWAP on e would do: the change of
the next gate's distance, the decayed change of the next ``window`` gates' distances, the
change in how many of them become executable, and whether e undoes the SWAP just made;
plus the next gate's distance and whether it is executable. The mask allows the surpass
exactly when the next gate is executable (surpassing an executable gate never hurts), and
otherwise the SWAPs that bring the next gate's qubits one step closer. So every gate takes
exactly distance - 1 SWAPs and a masked policy always finishes (an earlier mask that also
allowed SWAPs keeping the distance let a trained greedy policy loop on 2 of 100 held-out
circuits); what the policy learns is which shortening SWAP serves the gates ahead best.
The training env and the exported policy both call ``EdgeFeatures.compute``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

PER_EDGE = 4
GLOBAL = 2
#: bumped when the observation or the mask changes (exported policies record it)
FEATURES_VERSION = 2


class EdgeFeatures:
    """Features and mask for one connection graph (a ``RoutingState``'s edges)."""

    def __init__(self, state: Any, window: int = 10, decay: float = 0.5) -> None:
        self.window = int(window)
        self.decay = float(decay)
        self.edges = state.edges
        self.n_edges = len(state.edges)
        self.eu = np.array([u for u, _ in state.edges], dtype=np.int64)
        self.ev = np.array([v for _, v in state.edges], dtype=np.int64)
        self.edge_index = {}  # both orientations: edges come in networkx's order
        for i, (u, v) in enumerate(state.edges):
            self.edge_index[(u, v)] = self.edge_index[(v, u)] = i
        self.dist = state.distance.astype(np.float32)
        self.diameter = float(max(1, state.diameter))
        self.weights = (self.decay ** np.arange(1, self.window + 1)).astype(np.float32)
        self.size = PER_EDGE * self.n_edges + GLOBAL

    def _moved(self, x: np.ndarray) -> np.ndarray:
        """Where physical qubits ``x`` (shape (k,)) are after each edge's SWAP: (E, k)."""
        eu, ev = self.eu[:, None], self.ev[:, None]
        return np.where(eu == x, ev, np.where(ev == x, eu, x))

    def last_edge(self, state: Any) -> int:
        """The edge of the SWAP made at the current gate just before, or -1."""
        if not state.swap_gates_inserted:
            return -1
        pos, la, lb = state.swap_gates_inserted[-1]
        if pos != state.position:
            return -1
        pa, pb = int(state.where[la]), int(state.where[lb])
        return self.edge_index[(pa, pb)]

    def compute(self, state: Any) -> tuple[np.ndarray, np.ndarray]:
        """(mask float32 (E + 1,), observation float32 (size,))."""
        n_e = self.n_edges
        mask = np.zeros(n_e + 1, dtype=np.float32)
        obs = np.zeros(self.size, dtype=np.float32)
        if state.is_done():
            mask[n_e] = 1.0
            return mask, obs
        where, pairs, pos = state.where, state._pairs, state.position
        a, b = pairs[pos]
        pa, pb = int(where[a]), int(where[b])
        d_front = self.dist[pa, pb]
        ready = d_front == 1
        front_new = self.dist[self._moved(np.array([pa]))[:, 0], self._moved(np.array([pb]))[:, 0]]
        ahead = pairs[pos + 1:pos + 1 + self.window]
        d_look = np.zeros(n_e, dtype=np.float32)
        d_ready = np.zeros(n_e, dtype=np.float32)
        if ahead:
            phys = where[np.asarray(ahead, dtype=np.int64)]
            x, y = self._moved(phys[:, 0]), self._moved(phys[:, 1])
            new = self.dist[x, y]
            old = self.dist[phys[:, 0], phys[:, 1]]
            w = self.weights[:len(ahead)]
            d_look = (new - old) @ w / (self.diameter * float(w.sum()))
            d_ready = ((new == 1).sum(axis=1) - (old == 1).sum()) / float(self.window)
        last = self.last_edge(state)
        undo = np.zeros(n_e, dtype=np.float32)
        if last >= 0:
            undo[last] = 1.0
        obs[0:n_e] = front_new - d_front
        obs[n_e:2 * n_e] = d_look
        obs[2 * n_e:3 * n_e] = d_ready
        obs[3 * n_e:4 * n_e] = undo
        obs[4 * n_e] = d_front / self.diameter
        obs[4 * n_e + 1] = float(ready)
        if ready:
            mask[n_e] = 1.0
        else:  # a SWAP on a shortest path always exists: never empty
            mask[:n_e] = front_new < d_front
        return mask, obs


class FeaturePolicy:
    """A step policy deciding from ``EdgeFeatures`` (built once per env state)."""

    reach = 1

    def __init__(self, window: int = 10, decay: float = 0.5) -> None:
        self.window = int(window)
        self.decay = float(decay)
        self._state: Any = None
        self._features: EdgeFeatures | None = None

    def features(self, state: Any) -> EdgeFeatures:
        if self._state is not state:
            self._features = EdgeFeatures(state, self.window, self.decay)
            self._state = state
        assert self._features is not None
        return self._features
