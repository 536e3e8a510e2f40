"""Export an RLlib checkpoint's module as an inference-only scheduler (TorchScript + JSON).

The traced module maps a batch of observations to one score per node: the expected
Q-values of the (distributional, dueling) DQN module, or the action logits of PPO. Its
argmax is RLlib's ``forward_inference`` action; ``export`` checks that on recorded
observations before it writes anything final.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch

from qray.cloud.policy import FORMAT, META_FILE, MODEL_FILE

log = logging.getLogger(__name__)

MODULE_PATH = ("learner_group", "learner", "rl_module", "default_policy")


class _Scores(torch.nn.Module):
    def __init__(self, module: Any, kind: str) -> None:
        super().__init__()
        self.module = module
        self.kind = kind

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        if self.kind == "DQN":
            from ray.rllib.algorithms.dqn.dqn_learner import QF_PREDS

            return self.module.compute_q_values({"obs": obs})[QF_PREDS]
        return self.module.forward_inference({"obs": obs})["action_dist_inputs"]


def load_module(checkpoint: str | Path) -> Any:
    """The RLModule of an algorithm checkpoint (or of a module checkpoint folder)."""
    from ray.rllib.core.rl_module.rl_module import RLModule

    path = Path(checkpoint)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    module_dir = path.joinpath(*MODULE_PATH)
    module = RLModule.from_checkpoint(str(module_dir if module_dir.is_dir() else path))
    module.eval()
    return module


def module_kind(module: Any) -> str:
    return "DQN" if hasattr(module, "compute_q_values") else "PPO"


def forward_inference_actions(module: Any, obs: np.ndarray) -> np.ndarray:
    """RLlib's own greedy actions for a batch of observations."""
    with torch.no_grad():
        out = module.forward_inference({"obs": torch.from_numpy(np.asarray(obs, np.float32))})
    if "actions" in out:
        return out["actions"].numpy()
    return out["action_dist_inputs"].argmax(dim=-1).numpy()


def record_observations(env_config: Any, n: int, seed: int = 0) -> np.ndarray:
    """``n`` observations from random-policy episodes of the env (seeded)."""
    from qray.cloud.env import QuantumCloudEnv

    env = QuantumCloudEnv(env_config)
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    episode = 0
    while len(out) < n:
        obs, _ = env.reset(seed=20_000_000 + seed * 10_000 + episode)
        episode += 1
        done = False
        while not done and len(out) < n:
            out.append(obs["observations"] if isinstance(obs, dict) else obs)
            mask = env.action_masks()
            a = rng.choice(np.flatnonzero(mask)) if rng.random() < 0.7 else rng.integers(len(mask))
            obs, _, term, trunc, _ = env.step(int(a))
            done = term or trunc
    return np.stack(out)


def export(checkpoint: str | Path, out: str | Path, env_config: Any, *,
           name: str | None = None, n_check: int = 1000) -> dict[str, Any]:
    """Write ``out/policy.pt`` and ``out/policy.json``; returns the metadata.

    Raises if the traced scores' argmax differs from ``forward_inference`` on ``n_check``
    recorded observations.
    """
    from qray.cloud.env import QuantumCloudEnv
    from qray.cloud.features import observation_size
    from qray.results.writer import write_text_atomic

    module = load_module(checkpoint)
    kind = module_kind(module)
    env = QuantumCloudEnv(env_config)
    obs = record_observations(env.cfg, n_check)
    if obs.shape[1] != observation_size(len(env.cfg.nodes)):
        raise ValueError("recorded observations do not match the env's observation size")
    wrapper = _Scores(module, kind).eval()
    with torch.no_grad():
        traced = torch.jit.trace(wrapper, torch.from_numpy(obs[:8]), check_trace=False)
        traced_actions = traced(torch.from_numpy(obs)).argmax(dim=-1).numpy()
    rllib_actions = forward_inference_actions(module, obs)
    agree = float(np.mean(traced_actions == rllib_actions))
    if agree < 1.0:
        raise RuntimeError(f"exported policy disagrees with forward_inference on "
                           f"{(1 - agree) * 100:.2f} % of {len(obs)} observations")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{MODEL_FILE}.tmp"
    torch.jit.save(traced, str(tmp))
    tmp.replace(folder / MODEL_FILE)
    meta = {
        "format": FORMAT,
        "algorithm": kind,
        "name": name or f"{kind}-policy",
        "checkpoint": str(Path(checkpoint).resolve()),
        "obs_size": int(obs.shape[1]),
        "n_actions": int(env.action_space.n),
        "scores": "expected Q-values" if kind == "DQN" else "action logits",
        "params": env.policy_params(),
        "env": _jsonable(env.cfg),
        "checked_observations": len(obs),
    }
    write_text_atomic(json.dumps(meta, indent=2), folder / META_FILE)
    log.info("exported %s policy to %s (%d observations agree with forward_inference)",
             kind, folder, len(obs))
    return meta


def _jsonable(cfg: Any) -> Any:
    import dataclasses

    return dataclasses.asdict(cfg)
