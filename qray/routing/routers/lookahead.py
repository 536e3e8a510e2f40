"""The classical lookahead baseline (a step policy for the ``Routing`` env).

It surpasses whenever the next gate is executable. Otherwise it takes, among the SWAPs that
bring the next gate's qubits one step closer (the learned router's mask), the one that
minimizes the decayed distances of the following ``window`` gates (ties: lowest edge
index). Every gate takes exactly ``distance - 1`` SWAPs, so the policy never loops. It
decides from the same ``EdgeFeatures`` as the learned router.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from qray.routing.qgym.features import FeaturePolicy


class LookaheadPolicy(FeaturePolicy):
    """Greedy shortest-path SWAPs with a decayed lookahead tie-break."""

    name = "lookahead"

    def __init__(self, window: int = 10, decay: float = 0.5) -> None:
        if int(window) < 0:
            raise ValueError(f"window must be >= 0, got {window}")
        if not 0.0 < float(decay) <= 1.0:
            raise ValueError(f"decay must be in (0, 1], got {decay}")
        super().__init__(window, decay)

    def act(self, env: Any) -> int:
        f = self.features(env.state)
        mask, obs = f.compute(env.state)
        n = f.n_edges
        if mask[n]:
            return env.surpass_action
        look = np.where(mask[:n] > 0, obs[n:2 * n], np.inf)
        return int(np.argmin(look))
