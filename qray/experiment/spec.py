"""The ``experiment`` workload's spec: a user's callable on long-lived actors (one per
``actor_key`` value, or ``max_parallel`` shared ones)."""

from __future__ import annotations

from typing import Any

from qray.workloads import WorkloadSpec


def actor_key(point: Any, plan: Any) -> str:
    """The actor the plan assigned to ``point``."""
    return plan.actors[point.point_id]


def worker_kwargs(cfg: Any, key: str) -> dict[str, Any]:
    """The worker of actor ``key``: the callable's payload (a file's text travels with
    it) and, with ``actor_key``, the value that names the actor."""
    from qray.experiment.workload import value_key

    value = None
    if cfg.actor_key is not None:
        value = next(v for v in cfg.arguments[cfg.actor_key] if value_key(v) == key)
    return {"payload": cfg.loaded.payload, "actor_key": cfg.actor_key, "actor_value": value,
            "max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb}


SPEC = WorkloadSpec(
    name="experiment",
    description="your own callable and a grid (experiment: file.py:function)",
    config="qray.experiment.config:ExperimentConfig",
    workload="qray.experiment.workload",
    schema="qray.experiment.rows:SCHEMA",
    summary="qray.experiment.summary:summarize",
    worker="qray.experiment.worker:ExperimentWorker",
    worker_kwargs="qray.experiment.spec:worker_kwargs",
    actor_key="qray.experiment.spec:actor_key",
)
