"""An exported front-layer policy as the scorer of ``front-greedy``/``front-search``
(``policy:<folder>`` and ``policy-search-<width>:<folder>`` on a front-layer policy)."""

from __future__ import annotations

from typing import Any

import numpy as np

from qray.routing.front.state import FrontLayerState


class PolicyScorer:
    """An exported front-layer policy as the scorer: its masked logits, negated (lower is
    better), over the SWAPs its mask allows."""

    decay_step = 0.0
    decay_reset = 1

    def __init__(self, policy: Any) -> None:
        self.policy = policy
        self._features: Any = None
        self._topo: Any = None

    def scores(self, state: FrontLayerState, decay: np.ndarray) -> tuple[np.ndarray,
                                                                         np.ndarray]:
        from qray.routing.front.features import FrontFeatures

        if self._topo is not state.topo:
            params = self.policy.meta["params"]
            self._features = FrontFeatures(state.topo, params["window"], params["decay"])
            self._topo = state.topo
        fast = getattr(self.policy, "fast", None)
        if fast is not None:  # only the allowed SWAPs, scored in NumPy
            cand, feats, glob = self._features.compute_live(state)
            return cand, -fast.edges(feats, glob)
        mask, obs = self._features.compute(state)
        logits = self.policy.scores(mask[None], obs[None])[0][:-1]
        cand = np.flatnonzero(mask[:-1] > 0)
        return cand, -logits[cand]
