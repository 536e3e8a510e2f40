"""The ``simulators`` workload's spec: one SimulatorActor per backend."""

from __future__ import annotations

from typing import Any

from qray.config import ResourceSpec
from qray.workloads import WorkloadSpec


def actor_kwargs(cfg: Any, key: str, res: ResourceSpec) -> dict[str, Any]:
    """Constructor arguments of the actor serving backend ``key``."""
    return {
        "backend": key,
        "threads": res.threads,
        "worker_kwargs": {
            "memory_budget_mb": cfg.actor.memory_budget_mb,
            "max_tasks": cfg.actor.max_tasks,
            "max_rss_mb": cfg.actor.max_rss_mb,
            "exact_max_qubits": cfg.exact_max_qubits,
        },
    }


SPEC = WorkloadSpec(
    name="simulators",
    description="the same circuits on qiskit-aer, cirq, qsim, stim, pennylane, numpy",
    config="qray.simulators.config:SimulatorsConfig",
    workload="qray.simulators.workload",
    schema="qray.simulators.rows:SCHEMA",
    crash_row="qray.simulators.worker:crash_row",
    summary="qray.simulators.summary:summarize",
    worker="qray.simulators.worker:SimulatorWorker",
    actor="actors.simulators.actor:SimulatorActor",
    actor_kwargs="qray.simulators.spec:actor_kwargs",
    actor_key="backend",
    metric_tag="backend",
)
