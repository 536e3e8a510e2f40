"""A tiny exported router for tests, without training: a traced masked linear scorer with
``EdgeScorer``'s signature ``(mask (B, E + 1), observations (B, 4 E + 2)) -> scores``,
written with the ``policy.json`` that ``qray.routing.learned.policy`` loads."""

from __future__ import annotations

import json
from pathlib import Path

import torch

from qray.rl.policy import model_digest
from qray.routing.circuits.graphs import coupling_graph, sorted_edges
from qray.routing.learned.policy import FORMAT, META_FILE, MODEL_FILE
from qray.routing.qgym.features import FEATURES_VERSION, GLOBAL, PER_EDGE


class TinyScorer(torch.nn.Module):
    def __init__(self, n_edges: int, seed: int) -> None:
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.w = torch.nn.Parameter(torch.randn(PER_EDGE * n_edges + GLOBAL, n_edges + 1,
                                                generator=gen))

    def forward(self, mask: torch.Tensor, obs: torch.Tensor) -> torch.Tensor:
        return torch.where(mask > 0, obs @ self.w, torch.full_like(mask, -1e9))


def traced_scorer(n_edges: int, seed: int = 0) -> torch.jit.ScriptModule:
    mask = torch.ones(2, n_edges + 1)
    obs = torch.zeros(2, PER_EDGE * n_edges + GLOBAL)
    return torch.jit.trace(TinyScorer(n_edges, seed).eval(), (mask, obs))


def write_policy(folder: Path, coupling_map: str = "grid-3x3", *, seed: int = 0,
                 window: int = 10, decay: float = 0.5, front: bool = False) -> dict:
    """An exported router folder for ``coupling_map`` (a front-layer one with ``front``);
    returns its ``policy.json``."""
    from qray.routing.front.features import FRONT_FEATURES_VERSION

    edges = sorted_edges(coupling_graph(coupling_map))
    model = traced_scorer(len(edges), seed)
    folder.mkdir(parents=True, exist_ok=True)
    torch.jit.save(model, str(folder / MODEL_FILE))
    meta = {"format": FORMAT, "algorithm": "PPO", "name": "ppo",
            "params": {"coupling_map": coupling_map, "window": window, "decay": decay,
                       "features": FRONT_FEATURES_VERSION if front else FEATURES_VERSION,
                       **({"mode": "front"} if front else {})},
            "edges": [list(e) for e in edges], "n_actions": len(edges) + 1,
            "obs_size": PER_EDGE * len(edges) + GLOBAL, "model_digest": model_digest(model)}
    (folder / META_FILE).write_text(json.dumps(meta, indent=2))
    return meta
