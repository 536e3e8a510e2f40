"""The ``simulators`` workload's spec: one actor per backend."""

from __future__ import annotations

from typing import Any

from qray.workloads import WorkloadSpec


def worker_kwargs(cfg: Any, key: str) -> dict[str, Any]:
    """Constructor arguments of the worker serving backend ``key``: its library threads
    are the CPUs its actor reserves."""
    return {
        "backend": key,
        "threads": cfg.resources_for(key).threads,
        "memory_budget_mb": cfg.actor.memory_budget_mb,
        "max_tasks": cfg.actor.max_tasks,
        "max_rss_mb": cfg.actor.max_rss_mb,
        "exact_max_qubits": cfg.exact_max_qubits,
        "options": cfg.options_for(key),
    }


SPEC = WorkloadSpec(
    name="simulators",
    description="the same circuits on qiskit-aer, cirq, qsim, stim, pennylane, numpy",
    config="qray.simulators.config:SimulatorsConfig",
    workload="qray.simulators.workload",
    schema="qray.simulators.rows:SCHEMA",
    summary="qray.simulators.summary:summarize",
    worker="qray.simulators.worker:SimulatorWorker",
    worker_kwargs="qray.simulators.spec:worker_kwargs",
    actor_key="backend",
    metric_tag="backend",
)
