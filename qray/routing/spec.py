"""The ``routing`` workload's specs: router comparison (one router actor per router, all
coupling maps) and its training config (``routing_train``, run by
``jobs/train_router.py``)."""

from __future__ import annotations

from typing import Any

from qray.workloads import WorkloadSpec


def worker_kwargs(cfg: Any, key: str) -> dict[str, Any]:
    """Constructor arguments of the worker serving router ``key``."""
    return {"router": key, "max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb}


SPEC = WorkloadSpec(
    name="routing",
    description="qubit routing: learned routers vs SABRE and lookahead, every circuit verified",
    config="qray.routing.config:RoutingConfig",
    workload="qray.routing.workload",
    schema="qray.routing.rows:SCHEMA",
    summary="qray.routing.summary:summarize",
    worker="qray.routing.worker:RoutingWorker",
    worker_kwargs="qray.routing.spec:worker_kwargs",
    actor_key="router",
    metric_tag="router",
)

TRAIN_SPEC = WorkloadSpec(
    name="routing_train",
    description="train, export and evaluate the masked-PPO routers",
    config="qray.routing.train_config:RouterTrainConfig",
    train_job="qray train --config routing",
    trainer="actors.routing.pipeline:run_training",
)
