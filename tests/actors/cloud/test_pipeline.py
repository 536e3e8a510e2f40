"""The training pipeline's validation pick: a policy that loops on a too-small node never
wins."""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch

from actors.cloud.pipeline import validation_score
from qray.cloud.env import policy_params
from qray.cloud.features import observation_size
from qray.cloud.policy import FORMAT, model_digest
from qray.cloud.train_config import CloudTrainConfig
from qray.config import build


class Fixed(torch.nn.Module):
    def __init__(self, node: int) -> None:
        super().__init__()
        self.register_buffer("scores", torch.nn.functional.one_hot(torch.tensor(node), 5).float())

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.scores.expand(obs.shape[0], 5)


def fixed_policy(folder: Path, node: int, cfg: CloudTrainConfig) -> Path:
    folder.mkdir()
    model = torch.jit.script(Fixed(node))
    torch.jit.save(model, str(folder / "policy.pt"))
    (folder / "policy.json").write_text(json.dumps({
        "format": FORMAT, "algorithm": "DQN", "name": f"node{node}",
        "obs_size": observation_size(5), "n_actions": 5, "params": policy_params(cfg.env),
        "model_digest": model_digest(model)}))
    return folder


def test_a_looping_policy_loses_the_validation_pick(tmp_path: Path) -> None:
    cfg = build(CloudTrainConfig, {"validation_episodes": 3, "env": {"max_steps": 60}},
                prefix="")
    big = validation_score(fixed_policy(tmp_path / "big", 0, cfg), cfg)  # always washington
    small = validation_score(fixed_policy(tmp_path / "small", 3, cfg), cfg)  # always perth
    assert math.isfinite(big) and big > 0
    assert small == math.inf
