"""``jobs/train_scheduler.py``'s hooks of the RL pipeline (:mod:`actors.rl.pipeline`).

Each algorithm's Tune grid trains (``tune/<ALGO>``); every trial is exported and scored on
validation episodes (disjoint from training and from evaluation); the best is exported to
``policies/<ALGO>``. Then the ``cloud`` sweep evaluates the exported policies and every
heuristic on the held-out episodes, on SchedulerActors, as rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actors.rl import pipeline
from actors.rl.fit import TrainingReport
from actors.rl.tune_fit import TrainedTrial
from qray.cloud.evaluate import eval_seeds, evaluate
from qray.cloud.train_config import CloudTrainConfig
from qray.tasks import content_hash

#: validation episode keys (>= train_seed_limit, disjoint from evaluation's)
VALIDATION_SEED_BASE = 30_000_000


def validation_score(policy_dir: Path, cfg: CloudTrainConfig) -> float:
    """Mean total completion time of an exported policy on the validation episodes
    (infinite when any episode hit the step cap: such a policy loops on a small node)."""
    from qray.cloud.env import QuantumCloudEnv
    from qray.cloud.policy import load

    df = evaluate(QuantumCloudEnv(cfg.env), [load(policy_dir)],
                  eval_seeds(cfg.validation_episodes, VALIDATION_SEED_BASE))
    if df["truncated"].any():
        return float("inf")
    return float(df["total_completion"].mean())


def config_digest(algorithm: str, cfg: CloudTrainConfig) -> str:
    """What an algorithm's training depends on."""
    data = cfg.to_dict()
    return content_hash({"algorithm": algorithm, "env": data["env"], "seed": cfg.seed,
                         "timesteps": cfg.timesteps[algorithm],
                         "params": data[algorithm.lower()],
                         "num_env_runners": cfg.num_env_runners})[:16]


class CloudHooks:
    title = "Cloud schedulers"
    unit_key = "algorithm"
    curve_metric = "episode_return_mean"
    curve_label = "mean episode return"
    curve_title = "cloud scheduler training"

    def precheck(self, cfg: CloudTrainConfig) -> None:
        from qray.cloud.env import QuantumCloudEnv

        self.eval_config(cfg, {})  # validated before any training
        QuantumCloudEnv(cfg.env)  # builds (and caches) the circuit pool: QASM errors here

    def fits(self, cfg: CloudTrainConfig) -> dict[str, list[str]]:
        return {a: [a] for a in cfg.algorithms}

    def digest(self, cfg: CloudTrainConfig, fit: str) -> str:
        return config_digest(fit, cfg)

    def timesteps(self, cfg: CloudTrainConfig, fit: str) -> int:
        return int(cfg.timesteps[fit])

    def train(self, cfg: CloudTrainConfig, sweep_dir: Path, fit: str, units: list[str]
              ) -> list[TrainedTrial]:
        from actors.cloud.training import train

        return train(fit, cfg, sweep_dir / "tune")

    def export(self, checkpoint: Path, folder: Path, cfg: CloudTrainConfig, unit: str
               ) -> dict[str, Any]:
        from actors.cloud.export import export

        return export(checkpoint, folder, cfg.env, name=unit)

    def validate(self, folder: Path, cfg: CloudTrainConfig, unit: str) -> pipeline.Validation:
        score = validation_score(folder, cfg)
        return pipeline.Validation(
            (score,), {"total_completion": score, "episodes": cfg.validation_episodes},
            f"validation total completion {score:.1f} s")

    def eval_config(self, cfg: CloudTrainConfig, policies: dict[str, str]) -> Any:
        from qray.cloud.config import CloudConfig
        from qray.tracking import tracked

        return CloudConfig(
            name="eval", sweep_id="eval", output_dir=str(cfg.sweep_dir), seed=cfg.seed,
            max_parallel=cfg.max_parallel, ray=cfg.ray, actor=cfg.actor, env=cfg.env,
            heuristics=list(cfg.heuristics), episodes=cfg.eval_episodes, policies=policies,
            **tracked(cfg))

    def describe(self, sweep_dir: Path, cfg: CloudTrainConfig, unit: str,
                 info: dict[str, Any]) -> list[str]:
        v = info["validation"]
        return [f"- **{unit}**: {info['timesteps']} env steps per trial, "
                f"{len(info['trials'])} trial(s), Tune wall {info['wall_seconds']:.0f} s; "
                f"best lr {info['lr']:g} (validation {v['total_completion']:.1f} s over "
                f"{v['episodes']} episodes); exported to `policies/{unit}` (actions = "
                f"forward_inference on {info['checked_observations']} observations)"]


HOOKS = CloudHooks()


def run_training(cfg: CloudTrainConfig) -> TrainingReport:
    """Train, export and evaluate as configured (resumable)."""
    return pipeline.run_training(HOOKS, cfg)


__all__ = ["HOOKS", "VALIDATION_SEED_BASE", "config_digest", "run_training",
           "validation_score"]
