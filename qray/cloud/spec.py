"""The ``cloud`` workload's specs: scheduler evaluation (one SchedulerActor per scheduler)
and its training config (``cloud_train``, run by ``jobs/train_scheduler.py``)."""

from __future__ import annotations

from typing import Any

from qray.config import ResourceSpec
from qray.workloads import WorkloadSpec


def actor_kwargs(cfg: Any, key: str, res: ResourceSpec) -> dict[str, Any]:
    """Constructor arguments of the actor serving scheduler ``key``."""
    return {
        "scheduler": cfg.schedulers()[key],
        "env_config": cfg.env_dict(),
        "name": key,
        "worker_kwargs": {"max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb},
    }


SPEC = WorkloadSpec(
    name="cloud",
    description="quantum-cloud task placement: heuristics and exported RL schedulers",
    config="qray.cloud.config:CloudConfig",
    workload="qray.cloud.workload",
    schema="qray.cloud.rows:SCHEMA",
    summary="qray.cloud.summary:summarize",
    worker="qray.cloud.worker:SchedulerWorker",
    actor="actors.cloud.actor:SchedulerActor",
    actor_kwargs="qray.cloud.spec:actor_kwargs",
    actor_key="scheduler",
    metric_tag="scheduler",
)

TRAIN_SPEC = WorkloadSpec(
    name="cloud_train",
    description="train, export and evaluate the RLlib DQN/PPO schedulers",
    config="qray.cloud.train_config:CloudTrainConfig",
    train_job="qray train --config cloud",
    trainer="actors.cloud.pipeline:run_training",
)
