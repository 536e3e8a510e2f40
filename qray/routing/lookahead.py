"""The classical lookahead baseline (a step policy for the ``Routing`` env).

It surpasses whenever the next gate is executable. Otherwise it takes the SWAP, among
those touching the next gate's qubits, that first brings that gate's qubits closest and
then minimizes the decayed distances of the following ``window`` gates (ties: lowest edge
index). A SWAP on a shortest path always shortens the next gate by one, so every gate needs
at most ``distance - 1`` SWAPs and the policy never loops.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class LookaheadPolicy:
    """Greedy nearest-neighbour SWAPs with a decayed lookahead tie-break."""

    name = "lookahead"

    def __init__(self, window: int = 10, decay: float = 0.5) -> None:
        if int(window) < 0:
            raise ValueError(f"window must be >= 0, got {window}")
        if not 0.0 < float(decay) <= 1.0:
            raise ValueError(f"decay must be in (0, 1], got {decay}")
        self.window = int(window)
        self.decay = float(decay)
        self.reach = 1
        self._edges: Any = None
        self._incident: list[list[int]] = []

    def _edges_at(self, state: Any) -> list[list[int]]:
        if self._edges is not state.edges:
            inc: list[list[int]] = [[] for _ in range(state.num_nodes)]
            for i, (u, v) in enumerate(state.edges):
                inc[u].append(i)
                inc[v].append(i)
            self._edges, self._incident = state.edges, inc
        return self._incident

    def act(self, env: Any) -> int:
        s = env.state
        if s.front_executable():
            return env.surpass_action
        where, dist, pairs = s.where, s.distance, s._pairs
        a, b = pairs[s.position]
        pa, pb = int(where[a]), int(where[b])
        ahead = pairs[s.position + 1:s.position + 1 + self.window]
        phys = np.array([[where[x], where[y]] for x, y in ahead], dtype=np.int64).reshape(-1, 2)
        weights = self.decay ** np.arange(1, len(ahead) + 1)
        inc = self._edges_at(s)
        best: tuple[int, float, int] | None = None
        for e in sorted(set(inc[pa]) | set(inc[pb])):
            u, v = s.edges[e]
            nu = {u: v, v: u}
            front = int(dist[nu.get(pa, pa), nu.get(pb, pb)])
            if len(phys):
                moved = phys.copy()
                moved[phys == u], moved[phys == v] = v, u
                look = float(weights @ dist[moved[:, 0], moved[:, 1]])
            else:
                look = 0.0
            key = (front, look, e)
            if best is None or key < best:
                best = key
        assert best is not None  # the next gate's qubits always have an edge
        return best[2]

    def reset(self) -> None:
        return None

