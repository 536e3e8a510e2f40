"""RLlib training of the cloud schedulers through Tune (the Ray side of ``cloud``).

One Tune experiment per algorithm: its ``lr`` list is a grid, every trial trains for the
configured env steps and checkpoints at the end under ``<sweep>/tune/<algorithm>``.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from qray.cloud.train_config import CloudTrainConfig

log = logging.getLogger(__name__)

STEPS_KEY = "env_runners/num_env_steps_sampled_lifetime"
RETURN_KEY = "env_runners/episode_return_mean"


def env_dict(cfg: CloudTrainConfig) -> dict[str, Any]:
    return dataclasses.asdict(cfg.env)


def algorithm_config(algorithm: str, cfg: CloudTrainConfig, *, grid: bool = True) -> Any:
    """The RLlib ``AlgorithmConfig`` of ``algorithm`` (``lr`` a Tune grid when ``grid``)."""
    from ray import tune
    from ray.rllib.core.rl_module.default_model_config import DefaultModelConfig

    from qray.cloud.env import QuantumCloudEnv

    if algorithm == "DQN":
        from ray.rllib.algorithms.dqn import DQNConfig

        p = cfg.dqn
        lr: Any = tune.grid_search(p.lr) if grid and len(p.lr) > 1 else p.lr[0]
        config = DQNConfig().training(
            lr=lr,
            gamma=p.gamma,
            num_atoms=p.num_atoms,
            v_min=p.v_min,
            v_max=p.v_max,
            n_step=p.n_step,
            double_q=p.double_q,
            dueling=p.dueling,
            hiddens=[p.hiddens[-1]],
            replay_buffer_config={"type": "PrioritizedEpisodeReplayBuffer",
                                  "capacity": p.buffer_capacity, "alpha": p.alpha,
                                  "beta": p.beta},
            train_batch_size_per_learner=p.train_batch_size,
            target_network_update_freq=p.target_network_update_freq,
            epsilon=[(0, 1.0), (p.epsilon_timesteps, p.final_epsilon)],
            num_steps_sampled_before_learning_starts=p.learning_starts,
            training_intensity=p.training_intensity,
        )
        hiddens = p.hiddens
    elif algorithm == "PPO":
        from ray.rllib.algorithms.ppo import PPOConfig

        q = cfg.ppo
        lr = tune.grid_search(q.lr) if grid and len(q.lr) > 1 else q.lr[0]
        config = PPOConfig().training(
            lr=lr,
            gamma=q.gamma,
            lambda_=q.lambda_,
            train_batch_size_per_learner=q.train_batch_size,
            minibatch_size=q.minibatch_size,
            num_epochs=q.num_epochs,
            entropy_coeff=q.entropy_coeff,
        )
        hiddens = q.hiddens
    else:  # validated by the config
        raise ValueError(algorithm)
    return (
        config.environment(QuantumCloudEnv, env_config=env_dict(cfg))
        .env_runners(num_env_runners=cfg.num_env_runners, num_envs_per_env_runner=1)
        .rl_module(model_config=DefaultModelConfig(fcnet_hiddens=list(hiddens),
                                                   fcnet_activation="relu"))
        .debugging(seed=cfg.seed)
    )


@dataclasses.dataclass
class TrainedTrial:
    algorithm: str
    trial_id: str
    lr: float
    checkpoint: Path
    curve: Any  # pandas DataFrame: steps, return, iteration, seconds
    train_seconds: float


def train(algorithm: str, cfg: CloudTrainConfig, storage: Path) -> list[TrainedTrial]:
    """Run the Tune experiment of ``algorithm``; one ``TrainedTrial`` per grid point."""
    from actors.runtime.progress import TrainingProgress, quiet_tune
    from actors.runtime.tracking import training_callbacks

    quiet_tune()
    from ray import tune
    from ray.tune import CheckpointConfig, RunConfig, TuneConfig

    config = algorithm_config(algorithm, cfg)
    lrs = cfg.dqn.lr if algorithm == "DQN" else cfg.ppo.lr
    progress = TrainingProgress(algorithm, cfg.timesteps[algorithm], len(lrs),
                                steps_key=STEPS_KEY)
    tuner = tune.Tuner(
        config.algo_class,  # the class, not its name: the name imports every algorithm
        param_space=config,
        tune_config=TuneConfig(max_concurrent_trials=cfg.max_parallel, reuse_actors=False),
        run_config=RunConfig(
            name=algorithm,
            storage_path=str(storage),
            stop={STEPS_KEY: cfg.timesteps[algorithm]},
            checkpoint_config=CheckpointConfig(checkpoint_at_end=True, num_to_keep=1),
            verbose=0,
            callbacks=[progress, *training_callbacks(cfg, f"{cfg.resolved_sweep_id}-{algorithm}")],
        ),
    )
    grid = tuner.fit()
    trials = []
    for result in grid:
        if result.error is not None:
            raise RuntimeError(f"{algorithm} trial failed: {result.error}")
        df = result.metrics_dataframe
        curve = df[[c for c in ("training_iteration", STEPS_KEY, RETURN_KEY, "time_total_s")
                    if c in df.columns]].rename(columns={STEPS_KEY: "env_steps",
                                                         RETURN_KEY: "episode_return_mean",
                                                         "time_total_s": "seconds"})
        trials.append(TrainedTrial(
            algorithm=algorithm,
            trial_id=str(result.metrics.get("trial_id", Path(result.path).name)),
            lr=float(result.config.get("lr")),
            checkpoint=Path(result.checkpoint.path),
            curve=curve,
            train_seconds=float(result.metrics.get("time_total_s", 0.0)),
        ))
    return trials
