"""One Tune experiment of an RLlib algorithm config: progress in env steps, a checkpoint
at the end of every trial, and each trial read back as a :class:`TrainedTrial`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qray.errors import QrayError

STEPS_KEY = "env_runners/num_env_steps_sampled_lifetime"
RETURN_KEY = "env_runners/episode_return_mean"
LENGTH_KEY = "env_runners/episode_len_mean"
#: Tune's metric -> the learning curve's column
CURVE_COLUMNS = {STEPS_KEY: "env_steps", RETURN_KEY: "episode_return_mean",
                 LENGTH_KEY: "episode_len_mean", "time_total_s": "seconds"}


class TrialFailedError(QrayError):
    """A Tune trial raised: names the trial, its error and where its logs are."""


@dataclass
class TrainedTrial:
    """One finished trial: ``unit`` is what its policy is for (an algorithm, a map)."""

    unit: str
    trial_id: str
    lr: float
    checkpoint: Path
    curve: Any  # pandas DataFrame: training_iteration, env_steps, returns, seconds
    train_seconds: float


def tune_fit(config: Any, cfg: Any, *, name: str, storage: Path, timesteps: int,
             n_trials: int, unit_of: Callable[[Any], str]) -> list[TrainedTrial]:
    """Run ``config`` (an RLlib ``AlgorithmConfig``, Tune grids inside) as the experiment
    ``storage/name`` until ``timesteps`` env steps per trial; ``unit_of(result)`` names
    each trial's unit."""
    from actors.runtime.progress import TrainingProgress, quiet_tune
    from actors.runtime.tracking import training_callbacks

    quiet_tune()
    from ray import tune
    from ray.tune import CheckpointConfig, RunConfig, TuneConfig

    progress = TrainingProgress(name, timesteps, n_trials, steps_key=STEPS_KEY)
    tuner = tune.Tuner(
        config.algo_class,  # the class, not its name: the name imports every algorithm
        param_space=config,
        tune_config=TuneConfig(max_concurrent_trials=cfg.max_parallel, reuse_actors=False),
        run_config=RunConfig(
            name=name,
            storage_path=str(storage),
            stop={STEPS_KEY: timesteps},
            checkpoint_config=CheckpointConfig(checkpoint_at_end=True, num_to_keep=1),
            verbose=0,
            callbacks=[progress, *training_callbacks(cfg, f"{cfg.resolved_sweep_id}-{name}")],
        ),
    )
    trials = []
    for result in tuner.fit():
        trial_id = str(result.metrics.get("trial_id", Path(result.path).name))
        if result.error is not None:
            raise TrialFailedError(f"{name} trial {trial_id} failed ({result.error}); its "
                                   f"logs are in {result.path}; rerun the same command to "
                                   "train again")
        df = result.metrics_dataframe
        curve = df[[c for c in ("training_iteration", *CURVE_COLUMNS) if c in df.columns]]
        trials.append(TrainedTrial(
            unit=unit_of(result),
            trial_id=trial_id,
            lr=float(result.config.get("lr")),
            checkpoint=Path(result.checkpoint.path),
            curve=curve.rename(columns=CURVE_COLUMNS),
            train_seconds=float(result.metrics.get("time_total_s", 0.0)),
        ))
    return trials
