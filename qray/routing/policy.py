"""An exported learned router (TorchScript + JSON), usable without Ray or RLlib.

``policy.pt`` maps (mask, observations) to masked logits; ``policy.json`` holds the
feature parameters (coupling map, window, decay) and the edge order it was trained on.
``act(env)`` computes ``EdgeFeatures`` from the env's state and takes the argmax.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from qray.errors import ConfigError
from qray.routing.features import FeaturePolicy
from qray.routing.graphs import sorted_edges

FORMAT = "qray-router/1"
MODEL_FILE, META_FILE = "policy.pt", "policy.json"


class RouterPolicy(FeaturePolicy):
    """Greedy masked-argmax router for one coupling map."""

    def __init__(self, folder: str | Path) -> None:
        import torch

        folder = Path(folder)
        self.meta = json.loads((folder / META_FILE).read_text())
        if self.meta.get("format") != FORMAT:
            raise ValueError(f"{folder / META_FILE} is not a {FORMAT} policy")
        super().__init__(self.meta["params"]["window"], self.meta["params"]["decay"])
        self.model = torch.jit.load(str(folder / MODEL_FILE), map_location="cpu")
        self.model.eval()
        self.name = str(self.meta.get("name", "ppo"))
        self.edges = [tuple(e) for e in self.meta["edges"]]

    def scores(self, mask: np.ndarray, obs: np.ndarray) -> np.ndarray:
        import torch

        with torch.no_grad():
            out = self.model(torch.from_numpy(np.asarray(mask, np.float32)),
                             torch.from_numpy(np.asarray(obs, np.float32)))
        return out.numpy()

    def act(self, env: Any) -> int:
        state = env.state
        if self._state is not state and list(state.edges) != self.edges:
            raise ValueError(f"policy {self.name} was trained on another connection graph")
        mask, obs = self.features(state).compute(state)
        return int(np.argmax(self.scores(mask[None], obs[None])[0]))


def load_policy(folder: str | Path, graph: nx.Graph | None = None, *, key: str = "policy",
                coupling_map: str | None = None) -> RouterPolicy:
    """Load an exported router; with ``graph`` it must have been trained on its edges."""
    try:
        policy = RouterPolicy(folder)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise ConfigError(key, str(folder), "an exported router folder (jobs/train_router.py)",
                          problem=f"cannot load ({exc}):") from None
    from qray.routing.features import FEATURES_VERSION

    version = policy.meta["params"].get("features", 1)
    if version != FEATURES_VERSION:
        raise ConfigError(key, str(folder), f"a policy trained on features version "
                          f"{FEATURES_VERSION} (retrain with jobs/train_router.py)",
                          problem=f"was trained on features version {version}:")
    if graph is not None and [tuple(e) for e in sorted_edges(graph)] != policy.edges:
        trained = policy.meta["params"]["coupling_map"]
        raise ConfigError(key, str(folder), f"a policy trained on {coupling_map or 'this map'}",
                          problem=f"was trained on {trained}:")
    return policy
