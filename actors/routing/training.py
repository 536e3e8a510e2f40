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

from qray.routing.train_config import RouterTrainConfig

log = logging.getLogger(__name__)

STEPS_KEY = "env_runners/num_env_steps_sampled_lifetime"
RETURN_KEY = "env_runners/episode_return_mean"
LENGTH_KEY = "env_runners/episode_len_mean"


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


@dataclasses.dataclass
class TrainedTrial:
    coupling_map: str
    trial_id: str
    lr: float
    checkpoint: Path
    curve: Any  # pandas DataFrame: iteration, env_steps, return, length, seconds
    train_seconds: float


def train(cfg: RouterTrainConfig, storage: Path, maps: list[str],
          pretrained: Path | None = None) -> list[TrainedTrial]:
    """Run the Tune experiment over ``maps`` (x ``ppo.lr``); one trial per grid point
    (warm-started from ``pretrained``'s cloned weights when given)."""
    from actors.runtime.progress import TrainingProgress, quiet_tune
    from actors.runtime.tracking import training_callbacks

    quiet_tune()
    from ray import tune
    from ray.tune import CheckpointConfig, RunConfig, TuneConfig

    grid_maps = tune.grid_search(list(maps)) if len(maps) > 1 else maps[0]
    lrs = cfg.ppo.lr
    grid_lr = tune.grid_search(list(lrs)) if len(lrs) > 1 else lrs[0]
    config = ppo_config(cfg, lr=grid_lr, pretrained=pretrained)
    progress = TrainingProgress("PPO", cfg.timesteps, len(maps) * len(lrs),
                                steps_key=STEPS_KEY)
    config.env_config["coupling_map"] = grid_maps
    tuner = tune.Tuner(
        config.algo_class,  # the class, not its name: the name imports every algorithm
        param_space=config,
        tune_config=TuneConfig(max_concurrent_trials=cfg.max_parallel, reuse_actors=False),
        run_config=RunConfig(
            name="PPO",
            storage_path=str(storage),
            stop={STEPS_KEY: cfg.timesteps},
            checkpoint_config=CheckpointConfig(checkpoint_at_end=True, num_to_keep=1),
            verbose=0,
            callbacks=[progress, *training_callbacks(cfg, f"{cfg.resolved_sweep_id}-PPO")],
        ),
    )
    trials = []
    for result in tuner.fit():
        if result.error is not None:
            raise RuntimeError(f"PPO trial failed: {result.error}")
        df = result.metrics_dataframe
        cols = {STEPS_KEY: "env_steps", RETURN_KEY: "episode_return_mean",
                LENGTH_KEY: "episode_len_mean", "time_total_s": "seconds"}
        curve = df[[c for c in ("training_iteration", *cols) if c in df.columns]].rename(
            columns=cols)
        trials.append(TrainedTrial(
            coupling_map=str(result.config["env_config"]["coupling_map"]),
            trial_id=str(result.metrics.get("trial_id", Path(result.path).name)),
            lr=float(result.config.get("lr")),
            checkpoint=Path(result.checkpoint.path),
            curve=curve,
            train_seconds=float(result.metrics.get("time_total_s", 0.0)),
        ))
    return trials
