"""The learned router's RLModule (RLlib new API stack, PPO): a masked edge scorer.

Observations are ``{"action_mask", "observations"}`` (``qray.routing.qgym.features``: PER_EDGE
features for each of the E edges, then GLOBAL features). One small MLP, shared by every
edge, scores a SWAP on that edge from its features and the global ones; another scores the
surpass; ``log(mask)`` (clamped at the float minimum) is added, so a masked action is never
sampled, trained on or chosen. Sharing the scorer across edges makes the policy
independent of the edge order, and learns from every edge's example at once (a flat MLP
must learn each edge's slot separately). The value head sees the global features and the
mean and max of the edge features. ``MaskedLogits`` is the traceable export path.
"""

from __future__ import annotations

from typing import Any

import torch
from ray.rllib.core.columns import Columns
from ray.rllib.core.rl_module.apis import ValueFunctionAPI
from ray.rllib.core.rl_module.torch import TorchRLModule
from ray.rllib.utils.torch_utils import FLOAT_MIN
from torch import nn

from qray.routing.qgym.features import GLOBAL, PER_EDGE

MASK, OBS = "action_mask", "observations"


def masked(logits: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return logits + torch.clamp(torch.log(mask.to(logits.dtype)), min=FLOAT_MIN)


def _mlp(sizes: list[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class EdgeScorer(nn.Module):
    """(mask, observations) -> masked logits (E SWAPs, then the surpass)."""

    def __init__(self, n_edges: int, hiddens: list[int]) -> None:
        super().__init__()
        self.n_edges = n_edges
        self.edge = _mlp([PER_EDGE + GLOBAL, *hiddens, 1])
        self.surpass = _mlp([GLOBAL, *hiddens, 1])

    def split(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        n = self.n_edges
        edges = obs[:, :PER_EDGE * n].reshape(obs.shape[0], PER_EDGE, n).transpose(1, 2)
        return edges, obs[:, PER_EDGE * n:]

    def forward(self, mask: torch.Tensor, observations: torch.Tensor) -> torch.Tensor:
        edges, glob = self.split(observations)
        ctx = glob.unsqueeze(1).expand(-1, self.n_edges, -1)
        swap = self.edge(torch.cat([edges, ctx], dim=-1)).squeeze(-1)
        return masked(torch.cat([swap, self.surpass(glob)], dim=-1), mask)


class EdgeScorerModule(TorchRLModule, ValueFunctionAPI):
    """PPO module: shared per-edge scorer for the policy, pooled-feature value head.
    ``model_config``: ``hiddens`` (layer sizes, default [64, 64])."""

    def setup(self) -> None:
        space = self.observation_space
        if not (hasattr(space, "spaces") and {MASK, OBS} <= set(space.spaces)):
            raise ValueError(f"EdgeScorerModule needs a Dict observation with keys {MASK!r} "
                             f"and {OBS!r}, got {space}")
        n_actions = int(self.action_space.n)
        hiddens = list((self.model_config or {}).get("hiddens", [64, 64]))
        self.scorer = EdgeScorer(n_actions - 1, hiddens)
        self.value = _mlp([2 * PER_EDGE + GLOBAL, *hiddens, 1])

    def _logits(self, batch: dict[str, Any]) -> dict[str, Any]:
        obs = batch[Columns.OBS]
        return {Columns.ACTION_DIST_INPUTS: self.scorer(obs[MASK], obs[OBS])}

    def _forward(self, batch: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self._logits(batch)

    def _forward_train(self, batch: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return self._logits(batch)

    def compute_values(self, batch: dict[str, Any], embeddings: Any = None) -> torch.Tensor:
        edges, glob = self.scorer.split(batch[Columns.OBS][OBS])
        pooled = torch.cat([edges.mean(dim=1), edges.amax(dim=1), glob], dim=-1)
        return self.value(pooled).squeeze(-1)


def export_scorer(module: EdgeScorerModule) -> EdgeScorer:
    """The module's traceable (mask, observations) -> logits network."""
    return module.scorer
