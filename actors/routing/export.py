"""Export a trained router's checkpoint as an inference-only policy (TorchScript + JSON).

The traced network maps (mask, observations) to masked logits; its argmax must equal
RLlib's ``forward_inference`` on recorded observations before anything final is written.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch

from actors.rl.checkpoint import MODULE_PATH, recorded_env
from actors.rl.policy_folder import check_out, write_pair
from qray.errors import ConfigError
from qray.rl.policy import model_digest
from qray.routing.learned.policy import FORMAT
from qray.routing.learned.train_env import RouterEnvConfig, RoutingTrainEnv, env_config

log = logging.getLogger(__name__)
#: what an exported checkpoint must do
ACTS_AS = ("a checkpoint whose traced router acts as forward_inference, on allowed "
           "SWAPs only, on every checked observation")


def load_module(checkpoint: str | Path) -> Any:
    """The EdgeScorerModule of an algorithm checkpoint (or of a module folder)."""
    from actors.routing.module import EdgeScorerModule

    path = Path(checkpoint)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    module_dir = path.joinpath(*MODULE_PATH)
    module = EdgeScorerModule.from_checkpoint(str(module_dir if module_dir.is_dir() else path))
    module.eval()
    return module


def record_observations(cfg: RouterEnvConfig, n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """``n`` observations from random masked-policy episodes (seeded)."""
    env = RoutingTrainEnv(cfg)
    rng = np.random.default_rng(seed)
    masks, obs_list = [], []
    episode = 0
    while len(masks) < n:
        obs, _ = env.reset(seed=seed * 10_000 + episode)
        episode += 1
        done = False
        while not done and len(masks) < n:
            masks.append(obs["action_mask"])
            obs_list.append(obs["observations"])
            a = rng.choice(np.flatnonzero(obs["action_mask"]))
            obs, _, term, trunc, _ = env.step(int(a))
            done = term or trunc
    return {"action_mask": np.stack(masks), "observations": np.stack(obs_list)}


def export(checkpoint: str | Path, out: str | Path, cfg: Any = None, *, name: str = "ppo",
           n_check: int = 1000) -> dict[str, Any]:
    """Write ``out/policy.pt`` and ``out/policy.json`` (both or neither); returns the
    metadata. The env comes from the trial's ``params.json`` (or ``cfg``)."""
    check_out(out)  # before any work: an existing OUT that is not a policy folder stays
    recorded = recorded_env(checkpoint)
    env_cfg = env_config(recorded if recorded is not None else cfg)
    module = load_module(checkpoint)
    obs = record_observations(env_cfg, n_check)
    batch = {k: torch.from_numpy(v) for k, v in obs.items()}
    scorer = module.scorer.eval()
    with torch.no_grad():
        traced = torch.jit.trace(scorer, (batch["action_mask"][:8], batch["observations"][:8]),
                                 check_trace=False)
        traced_actions = traced(batch["action_mask"], batch["observations"]).argmax(-1).numpy()
        rllib = module.forward_inference({"obs": batch})["action_dist_inputs"].argmax(-1).numpy()
    agree = float(np.mean(traced_actions == rllib))
    if agree < 1.0:
        raise ConfigError("checkpoint", str(checkpoint), ACTS_AS,
                          problem=f"exports a router that disagrees on "
                                  f"{(1 - agree) * 100:.2f} % of {n_check} observations:")
    legal = obs["action_mask"][np.arange(n_check), traced_actions] > 0
    if not legal.all():
        raise ConfigError("checkpoint", str(checkpoint), ACTS_AS,
                          problem=f"exports a router that chose a masked action on "
                                  f"{int((~legal).sum())} of {n_check} observations:")
    env = RoutingTrainEnv(env_cfg)
    meta = {
        "format": FORMAT,
        "algorithm": "PPO",
        "name": name,
        "checkpoint": str(Path(checkpoint).resolve()),
        "params": env_cfg.feature_params(),
        "env": dataclasses.asdict(env_cfg),
        "edges": [list(e) for e in env.edges],
        "n_actions": int(env.action_space.n),
        "obs_size": int(env.features.size),
        "checked_observations": n_check,
        "model_digest": model_digest(traced),
    }
    write_pair(Path(out), traced, meta)
    log.info("exported router for %s to %s (%d observations agree with forward_inference)",
             env_cfg.coupling_map, out, n_check)
    return meta
