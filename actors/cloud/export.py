"""Export an RLlib checkpoint's module as an inference-only scheduler (TorchScript + JSON).

The traced module maps a batch of observations to one score per node: the expected
Q-values of the (distributional, dueling) DQN module, or the action logits of PPO. Its
argmax is RLlib's ``forward_inference`` action; ``export`` checks that on recorded
observations before it writes anything final.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch

from actors.rl.checkpoint import MODULE_PATH, load_module, module_checkpoint, recorded_env
from actors.rl.policy_folder import check_out, is_policy_folder, write_pair
from qray.cloud.policy import FORMAT, model_digest
from qray.errors import ConfigError

# the shared pieces (actors.rl) stay importable from here: jobs/export_policy.py, tests
__all__ = ["MODULE_PATH", "check_out", "export", "forward_inference_actions",
           "is_policy_folder", "load_module", "module_checkpoint", "module_kind",
           "record_observations", "recorded_env"]

log = logging.getLogger(__name__)

_write_pair = write_pair  # its older name (tests/reliability/test_export_safety.py)


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


def export(checkpoint: str | Path, out: str | Path, env_config: Any = None, *,
           name: str | None = None, n_check: int = 1000) -> dict[str, Any]:
    """Write ``out/policy.pt`` and ``out/policy.json`` (both or neither); returns the
    metadata.

    The observation's preprocessing comes from the env the trial trained on (its
    ``params.json``); ``env_config`` is used when the checkpoint has none, and must agree
    with it when it has one. Raises if the traced scores' argmax differs from
    ``forward_inference`` on ``n_check`` recorded observations.
    """
    from qray.cloud.env import QuantumCloudEnv, policy_mismatch
    from qray.cloud.env_config import env_config as make_env_config
    from qray.cloud.features import observation_size
    if n_check < 1:
        raise ConfigError("--check", n_check, "an integer >= 1")
    check_out(out)
    module_checkpoint(checkpoint)
    recorded = recorded_env(checkpoint)
    if recorded is not None:
        trained_on = make_env_config(recorded)
        if env_config is not None:
            problem = policy_mismatch(QuantumCloudEnv(env_config).policy_params(), trained_on)
            if problem:
                raise ConfigError("env", "(the config's env)", "the env the checkpoint was "
                                  "trained on, or no env overrides",
                                  problem=f"differs from the checkpoint's ({problem}):")
        env_config = trained_on
    module = load_module(checkpoint)
    kind = module_kind(module)
    env = QuantumCloudEnv(env_config)
    size = observation_size(len(env.cfg.nodes))
    shape = getattr(getattr(module, "observation_space", None), "shape", None)
    if shape is not None and tuple(shape) != (size,):
        raise ConfigError("env.nodes", list(env.cfg.nodes), f"an env whose observation has "
                          f"{shape} features like the checkpoint's", problem=f"gives {size} "
                          "features:")
    obs = record_observations(env.cfg, n_check)
    wrapper = _Scores(module, kind).eval()
    with torch.no_grad():
        traced = torch.jit.trace(wrapper, torch.from_numpy(obs[:8]), check_trace=False)
        traced_actions = traced(torch.from_numpy(obs)).argmax(dim=-1).numpy()
    rllib_actions = forward_inference_actions(module, obs)
    agree = float(np.mean(traced_actions == rllib_actions))
    if agree < 1.0:
        raise ConfigError("checkpoint", str(checkpoint), "a checkpoint whose traced policy "
                          "acts as forward_inference on every checked observation",
                          problem=f"exports a policy that disagrees on "
                                  f"{(1 - agree) * 100:.2f} % of {len(obs)} observations:")
    meta = {
        "format": FORMAT,
        "algorithm": kind,
        "name": name or f"{kind}-policy",
        "checkpoint": str(Path(checkpoint).resolve()),
        "obs_size": int(obs.shape[1]),
        "n_actions": int(env.action_space.n),
        "scores": "expected Q-values" if kind == "DQN" else "action logits",
        "params": env.policy_params(),
        "env": dataclasses.asdict(env.cfg),
        "checked_observations": len(obs),
        "model_digest": model_digest(traced),
    }
    folder = Path(out)
    write_pair(folder, traced, meta)
    log.info("exported %s policy to %s (%d observations agree with forward_inference)",
             kind, folder, len(obs))
    return meta
