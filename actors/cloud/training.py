"""RLlib training of the cloud schedulers through Tune (the Ray side of ``cloud``).

One Tune experiment per algorithm: its ``lr`` list is a grid, every trial trains for the
configured env steps and checkpoints at the end under ``<sweep>/tune/<algorithm>``.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from actors.rl.tune_fit import TrainedTrial, tune_fit
from qray.cloud.train_config import CloudTrainConfig

log = logging.getLogger(__name__)



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


def train(algorithm: str, cfg: CloudTrainConfig, storage: Path) -> list[TrainedTrial]:
    """Run the Tune experiment of ``algorithm``; one ``TrainedTrial`` per grid point."""
    lrs = cfg.dqn.lr if algorithm == "DQN" else cfg.ppo.lr
    return tune_fit(algorithm_config(algorithm, cfg), cfg, name=algorithm, storage=storage,
                    timesteps=cfg.timesteps[algorithm], n_trials=len(lrs),
                    unit_of=lambda result: algorithm)
