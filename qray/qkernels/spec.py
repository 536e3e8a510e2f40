"""The ``qkernels`` workload's spec: ``workers`` KernelWorkers per backend share each
point's Gram tiles, in a trial of their own (``actors.qkernels.trial``)."""

from __future__ import annotations

from typing import Any

from qray.config import ResourceSpec
from qray.workloads import WorkloadSpec


def worker_keys(backend: str, workers: int) -> list[str]:
    """Pool keys of a backend's KernelWorkers."""
    return [f"{backend}-{i}" for i in range(workers)]


def actor_key(point: Any, plan: Any) -> str:
    """A point's trial holds all of its backend's workers; the first names it."""
    return f"{point.params['backend']}-0"


def actor_keys(cfg: Any, plan: Any) -> list[str]:
    """Every worker of every backend."""
    return [k for b in cfg.backends for k in worker_keys(b, cfg.workers)]


def resource_name(key: str) -> str:
    """``torch-cuda-2`` reserves what ``resources.torch-cuda`` says."""
    return key.rsplit("-", 1)[0]


def actor_kwargs(cfg: Any, key: str, res: ResourceSpec) -> dict[str, Any]:
    """Constructor arguments of KernelWorker ``key``."""
    return {
        "backend": resource_name(key),
        "precision": cfg.precision,
        "threads": res.threads,
        "worker_kwargs": {"max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb},
        "num_gpus": res.num_gpus,
    }


SPEC = WorkloadSpec(
    name="qkernels",
    description="quantum-kernel Gram matrices and SVMs on numpy/numba/torch/cupy workers",
    config="qray.qkernels.config:QKernelsConfig",
    workload="qray.qkernels.workload",
    schema="qray.qkernels.rows:SCHEMA",
    summary="qray.qkernels.summary:summarize",
    actor="actors.qkernels.worker:KernelWorker",
    actor_kwargs="qray.qkernels.spec:actor_kwargs",
    actor_key="qray.qkernels.spec:actor_key",
    actor_keys="qray.qkernels.spec:actor_keys",
    resource_name="qray.qkernels.spec:resource_name",
    validate_cluster="actors.qkernels.trial:validate_workers",
    run_point="actors.qkernels.trial:run_point",
    metric_tag="backend",
)
