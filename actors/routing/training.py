"""RLlib PPO training of the learned routers through Tune (the Ray side of ``routing``).

One Tune experiment: a grid over the coupling maps (and ``ppo.lr``); every trial trains a
masked PPO module (``actors.routing.module``) for ``timesteps`` env steps and checkpoints
at the end under ``<sweep>/tune/PPO``.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from actors.rl.tune_fit import TrainedTrial, tune_fit
from qray.routing.train_config import RouterTrainConfig

log = logging.getLogger(__name__)



def ppo_config(cfg: RouterTrainConfig, coupling_map: Any = None, lr: Any = None,
               pretrained: Path | None = None) -> Any:
    """The RLlib ``PPOConfig`` (``coupling_map`` and ``lr`` may be Tune grids); with
    ``pretrained`` (``actors.routing.imitation``) each trial starts from its map's cloned
    weights."""
    from ray.rllib.algorithms.ppo import PPOConfig
    from ray.rllib.core.rl_module.rl_module import RLModuleSpec

    from actors.routing.module import EdgeScorerModule
    from qray.routing.learned.train_env import RoutingTrainEnv

    q = cfg.ppo
    env = dataclasses.asdict(cfg.env_for(cfg.maps[0]))
    if coupling_map is not None:
        env["coupling_map"] = coupling_map
    config = (
        PPOConfig()
        .environment(RoutingTrainEnv, env_config=env)
        .training(lr=lr if lr is not None else q.lr[0], gamma=q.gamma, lambda_=q.lambda_,
                  train_batch_size_per_learner=q.train_batch_size,
                  minibatch_size=q.minibatch_size, num_epochs=q.num_epochs,
                  entropy_coeff=q.entropy_coeff)
        .env_runners(num_env_runners=cfg.num_env_runners, num_envs_per_env_runner=1)
        .rl_module(rl_module_spec=RLModuleSpec(
            module_class=EdgeScorerModule, model_config={"hiddens": list(q.hiddens)}))
        .debugging(seed=cfg.seed)
    )
    if pretrained is not None:
        from actors.routing.imitation import warm_start

        config = config.callbacks(on_algorithm_init=warm_start(pretrained))
    return config


def train(cfg: RouterTrainConfig, storage: Path, maps: list[str],
          pretrained: Path | None = None) -> list[TrainedTrial]:
    """Run the Tune experiment over ``maps`` (x ``ppo.lr``); one trial per grid point
    (warm-started from ``pretrained``'s cloned weights when given)."""
    from ray import tune

    lrs = cfg.ppo.lr
    config = ppo_config(cfg, lr=tune.grid_search(list(lrs)) if len(lrs) > 1 else lrs[0],
                        pretrained=pretrained)
    config.env_config["coupling_map"] = tune.grid_search(list(maps)) if len(maps) > 1 \
        else maps[0]
    return tune_fit(config, cfg, name="PPO", storage=storage, timesteps=cfg.timesteps,
                    n_trials=len(maps) * len(lrs),
                    unit_of=lambda result: str(result.config["env_config"]["coupling_map"]))
