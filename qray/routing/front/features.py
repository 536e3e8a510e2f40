"""The front-layer learned router's observation and mask, a pure function of a
``FrontLayerState`` (the same layout as ``features.EdgeFeatures``, so the same RLModule and
export serve both modes).

Per physical edge e (the env's action order), what a SWAP on e would do: the mean change of
the front gates' distances, the decayed change of the extended set's distances (the next
``window`` gates of the DAG), the share of front gates it makes executable, and whether e
undoes the SWAP just made; plus the front's mean distance and its size. The mask allows the
SWAPs that bring some front gate's qubits one step closer (never empty while gates remain);
the last action (qgym mode's surpass) is never allowed, since executable gates run by
themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from qray.routing.qgym.features import GLOBAL, PER_EDGE

#: bumped when the observation or the mask changes (exported policies record it)
FRONT_FEATURES_VERSION = 1


class FrontFeatures:
    """Features and mask for one topology (``FrontTopology``)."""

    def __init__(self, topology: Any, window: int = 10, decay: float = 0.5) -> None:
        self.topo = topology
        self.window = int(window)
        self.n_edges = n_e = len(topology.edges)
        self.eu, self.ev = topology.eu[:, None], topology.ev[:, None]
        self.dist = topology.distance.astype(np.float32)
        self.diameter = float(max(1, topology.diameter))
        self.weights = (float(decay) ** np.arange(1, self.window + 1)).astype(np.float32)
        self.size = PER_EDGE * n_e + GLOBAL
        self.edge_index: dict[tuple[int, int], int] = {}
        for i, (u, v) in enumerate(topology.edges):
            self.edge_index[(u, v)] = self.edge_index[(v, u)] = i

    def _moved(self, x: np.ndarray, edges: np.ndarray | None = None) -> np.ndarray:
        """Where physical qubits ``x`` (k,) are after each edge's SWAP: (E, k) (or only
        ``edges``')."""
        eu, ev = (self.eu, self.ev) if edges is None else (self.eu[edges], self.ev[edges])
        return np.where(eu == x, ev, np.where(ev == x, eu, x))

    def _after(self, phys: np.ndarray, edges: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """Distances of physical pairs (k, 2) now (k,) and after each SWAP (E, k)."""
        old = self.dist[phys[:, 0], phys[:, 1]]
        new = self.dist[self._moved(phys[:, 0], edges), self._moved(phys[:, 1], edges)]
        return old, new

    def _edge_features(self, state: Any, edges: np.ndarray | None
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(allowed (n,) bool, PER_EDGE features (n, PER_EDGE), GLOBAL features) of the
        SWAPs on ``edges`` (None: every edge, in action order) in a state with gates left."""
        front = state.front_pairs()
        old, new = self._after(front, edges)
        k = float(len(front))
        feats = np.zeros((len(new), PER_EDGE), dtype=np.float32)
        feats[:, 0] = (new - old).sum(axis=1) / k
        ext = state.lookahead(self.window)
        if ext:
            e_old, e_new = self._after(state.where[state.pairs[ext]], edges)
            w = self.weights[:len(ext)]
            feats[:, 1] = (e_new - e_old) @ w / (self.diameter * float(w.sum()))
        feats[:, 2] = (new == 1).sum(axis=1) / k
        if state.last_swap is not None:
            index = np.arange(self.n_edges) if edges is None else edges
            feats[:, 3] = index == self.edge_index[state.last_swap]
        glob = np.array([float(old.mean()) / self.diameter,
                         k / max(1.0, self.topo.n / 2)], dtype=np.float32)
        return (new < old).any(axis=1), feats, glob

    def compute(self, state: Any) -> tuple[np.ndarray, np.ndarray]:
        """(mask float32 (E + 1,), observation float32 (size,))."""
        n_e = self.n_edges
        mask = np.zeros(n_e + 1, dtype=np.float32)
        obs = np.zeros(self.size, dtype=np.float32)
        if state.is_done():
            mask[n_e] = 1.0  # a terminal observation is never acted on
            return mask, obs
        allowed, feats, glob = self._edge_features(state, None)
        obs[:PER_EDGE * n_e] = feats.T.reshape(-1)
        obs[PER_EDGE * n_e:] = glob
        mask[:n_e] = allowed
        return mask, obs

    def compute_live(self, state: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Only what a policy needs to pick among the SWAPs its mask allows: (the allowed
        edge indices (c,), their PER_EDGE features (c, PER_EDGE), the GLOBAL features).
        Equal to ``compute``'s on those edges (a SWAP that touches no front qubit brings no
        front gate closer, so only the front's candidate edges are examined); a search
        calls this thousands of times per circuit."""
        cand = np.asarray(state.candidate_edges(), dtype=np.int64)
        allowed, feats, glob = self._edge_features(state, cand)
        return cand[allowed], feats[allowed], glob
