"""The ``netsim`` workload's spec: ``replicas`` actors per physics model."""

from __future__ import annotations

from typing import Any

from qray.workloads import WorkloadSpec


def actor_key(point: Any, plan: Any) -> str:
    """The replica (``<physics>-<i>``) the plan assigned to ``point``."""
    return plan.actors[point.point_id]


def resource_name(key: str) -> str:
    """``paper2-1`` reserves what ``resources.paper2`` says."""
    return key.rsplit("-", 1)[0]


def worker_kwargs(cfg: Any, key: str) -> dict[str, Any]:
    """Constructor arguments of the worker of replica ``key``."""
    return {"physics": resource_name(key), "max_tasks": cfg.actor.max_tasks,
            "max_rss_mb": cfg.actor.max_rss_mb}


SPEC = WorkloadSpec(
    name="netsim",
    description="quantum-network entanglement-routing testbeds with bandit learners",
    config="qray.netsim.config:NetsimConfig",
    workload="qray.netsim.workload",
    schema="qray.netsim.rows:SCHEMA",
    summary="qray.netsim.summary:summarize",
    worker="qray.netsim.worker:NetsimWorker",
    worker_kwargs="qray.netsim.spec:worker_kwargs",
    actor_key="qray.netsim.spec:actor_key",
    resource_name="qray.netsim.spec:resource_name",
    metric_tag="physics",
)
