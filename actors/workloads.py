"""Binding of each workload to its actor class, plan and row schema (the Ray side)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from actors.pool import ActorSpec
from actors.simulator import thread_env
from qray.config import ResourceSpec, SweepConfig
from qray.tasks import Point


@dataclass(frozen=True)
class WorkloadBinding:
    """What the generic sweep driver needs to know about one workload."""

    name: str
    schema: pa.Schema
    #: module with ``plan(cfg)`` and ``task_specs(point, cfg, sweep_id, only)``
    workload_module: str = ""
    #: "module:function" building the ``error`` row of a task that killed its actor
    crash_row_fn: str = ""

    def plan(self, cfg: SweepConfig) -> Any:
        return importlib.import_module(self.workload_module).plan(cfg)

    def actor_key(self, point: Point, plan: Any) -> str:
        """Key (in the actor pool) of the actor that runs ``point``'s tasks."""
        raise NotImplementedError

    def actor_keys(self, cfg: SweepConfig, plan: Any) -> list[str]:
        """Every actor key the sweep's pool may create."""
        return sorted({self.actor_key(p, plan) for p in plan.points})

    def validate_cluster(self, cfg: SweepConfig, keys: list[str]) -> None:
        """Checks against the live cluster beyond one actor's fit (after Ray is up)."""
        return None

    def run_point(self, point: dict[str, Any], ctx: dict[str, Any]) -> dict[str, int]:
        """Run a pending point's tasks and write its rows (inside a Tune trial)."""
        from actors.executor import run_point

        return run_point(point, ctx)

    def resource_name(self, key: str) -> str:
        """The backend (or model) name under ``resources`` of the actor ``key``."""
        return key

    def resources(self, cfg: SweepConfig, key: str) -> ResourceSpec:
        """Resources of the actor serving ``key`` (the config decides)."""
        return cfg.resources_for(key)

    def actor_spec(self, cfg: SweepConfig, key: str) -> ActorSpec:
        raise NotImplementedError

    def actor_options(self, cfg: SweepConfig, key: str) -> dict[str, Any]:
        """Ray options of the actor serving ``key``: its resources, restarts and a thread
        environment capped at its CPUs."""
        res = self.resources(cfg, key)
        options: dict[str, Any] = {
            "num_cpus": res.num_cpus,
            "num_gpus": res.num_gpus,
            "max_restarts": cfg.actor.max_restarts,
            "max_task_retries": 2,
            "runtime_env": {"env_vars": thread_env(res.threads)},
        }
        if res.resources:
            options["resources"] = dict(res.resources)
        return options

    def task_specs(self, point: Point, cfg: SweepConfig, sweep_id: str,
                   only: set[str] | None = None) -> list[dict[str, Any]]:
        return importlib.import_module(self.workload_module).task_specs(point, cfg, sweep_id,
                                                                        only)

    def crash_row(self, spec: dict[str, Any], message: str) -> dict[str, Any]:
        module, _, fn = self.crash_row_fn.partition(":")
        return getattr(importlib.import_module(module), fn)(spec, message)


class SimulatorsBinding(WorkloadBinding):
    """The simulator benchmark: one ``SimulatorActor`` per backend."""

    def actor_key(self, point: Point, plan: Any) -> str:
        return str(point.params["backend"])

    def actor_spec(self, cfg: SweepConfig, key: str) -> ActorSpec:
        threads = self.resources(cfg, key).threads
        options = self.actor_options(cfg, key)
        name = f"qray/simulators/{key}"
        kwargs = {
            "backend": key,
            "threads": threads,
            "actor_name": name,
            "worker_kwargs": {
                "memory_budget_mb": cfg.actor.memory_budget_mb,
                "max_tasks": cfg.actor.max_tasks,
                "max_rss_mb": cfg.actor.max_rss_mb,
                "exact_max_qubits": cfg.exact_max_qubits,  # type: ignore[attr-defined]
            },
        }
        return ActorSpec(name=name, cls="actors.simulator:SimulatorActor", kwargs=kwargs,
                         options=options)


class NetsimBinding(WorkloadBinding):
    """The routing testbeds: ``replicas`` AllocatorActors per physics model."""

    def actor_key(self, point: Point, plan: Any) -> str:
        return plan.actors[point.point_id]

    def resource_name(self, key: str) -> str:
        return key.rsplit("-", 1)[0]

    def actor_spec(self, cfg: SweepConfig, key: str) -> ActorSpec:
        options = self.actor_options(cfg, key)
        name = f"qray/netsim/{key}"
        kwargs = {
            "physics": key.rsplit("-", 1)[0],
            "actor_name": name,
            "worker_kwargs": {"max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb},
        }
        return ActorSpec(name=name, cls="actors.allocator:AllocatorActor", kwargs=kwargs,
                         options=options)


class QKernelsBinding(WorkloadBinding):
    """Quantum kernels: ``workers`` KernelWorkers per backend share each point's tiles."""

    def actor_key(self, point: Point, plan: Any) -> str:
        return f"{point.params['backend']}-0"

    def resource_name(self, key: str) -> str:
        return key.rsplit("-", 1)[0]

    def actor_keys(self, cfg: SweepConfig, plan: Any) -> list[str]:
        from actors.qkernel_trial import worker_keys

        return [k for b in cfg.backends for k in worker_keys(b, cfg.workers)]  # type: ignore[attr-defined]

    def validate_cluster(self, cfg: SweepConfig, keys: list[str]) -> None:
        """A point holds all of its backend's workers at once: together they must fit in
        what the cluster has free. A GPU backend must also be usable where its workers
        land (torch built with CUDA, cupy installed): a probe task with the workers' GPU
        reservation asks there, before any work."""
        from actors.qkernel_trial import validate_workers

        validate_workers(cfg, self.resources)

    def run_point(self, point: dict[str, Any], ctx: dict[str, Any]) -> dict[str, int]:
        from actors.qkernel_trial import run_point

        return run_point(point, ctx)

    def actor_spec(self, cfg: SweepConfig, key: str) -> ActorSpec:
        backend = key.rsplit("-", 1)[0]
        res = self.resources(cfg, key)
        options = self.actor_options(cfg, key)
        name = f"qray/qkernels/{key}"
        kwargs = {
            "backend": backend,
            "precision": cfg.precision,  # type: ignore[attr-defined]
            "threads": res.threads,
            "actor_name": name,
            "worker_kwargs": {"max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb},
            "num_gpus": res.num_gpus,
        }
        return ActorSpec(name=name, cls="actors.kernel_worker:KernelWorker", kwargs=kwargs,
                         options=options)


class CloudBinding(WorkloadBinding):
    """Scheduler evaluation: one SchedulerActor per scheduler (heuristic or policy)."""

    def actor_key(self, point: Point, plan: Any) -> str:
        return str(point.params["scheduler"])

    def resource_name(self, key: str) -> str:
        return key

    def actor_spec(self, cfg: SweepConfig, key: str) -> ActorSpec:
        options = self.actor_options(cfg, key)
        name = f"qray/cloud/{key}"
        kwargs = {
            "scheduler": cfg.schedulers()[key],  # type: ignore[attr-defined]
            "env_config": cfg.env_dict(),  # type: ignore[attr-defined]
            "name": key,
            "actor_name": name,
            "worker_kwargs": {"max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb},
        }
        return ActorSpec(name=name, cls="actors.scheduler:SchedulerActor", kwargs=kwargs,
                         options=options)


class RoutingBinding(WorkloadBinding):
    """Router comparison: one RouterActor per router (all coupling maps)."""

    def actor_key(self, point: Point, plan: Any) -> str:
        return str(point.params["router"])

    def actor_spec(self, cfg: SweepConfig, key: str) -> ActorSpec:
        options = self.actor_options(cfg, key)
        name = f"qray/routing/{key}"
        kwargs = {
            "router": key,
            "actor_name": name,
            "worker_kwargs": {"max_tasks": cfg.actor.max_tasks, "max_rss_mb": cfg.actor.max_rss_mb},
        }
        return ActorSpec(name=name, cls="actors.router:RouterActor", kwargs=kwargs,
                         options=options)


def get_binding(workload: str) -> WorkloadBinding:
    """The binding of ``workload``."""
    if workload == "simulators":
        from qray.simulators.rows import SCHEMA

        return SimulatorsBinding("simulators", SCHEMA, "qray.simulators.workload",
                                 "qray.simulators.worker:crash_row")
    if workload == "netsim":
        from qray.netsim.rows import SCHEMA as NETSIM_SCHEMA

        return NetsimBinding("netsim", NETSIM_SCHEMA, "qray.netsim.workload",
                             "qray.netsim.worker:crash_row")
    if workload == "qkernels":
        from qray.qkernels.rows import SCHEMA as QKERNELS_SCHEMA

        return QKernelsBinding("qkernels", QKERNELS_SCHEMA, "qray.qkernels.workload",
                               "qray.qkernels.pipeline:crash_row")
    if workload == "cloud":
        from qray.cloud.rows import SCHEMA as CLOUD_SCHEMA

        return CloudBinding("cloud", CLOUD_SCHEMA, "qray.cloud.workload",
                            "qray.cloud.worker:crash_row")
    if workload == "routing":
        from qray.routing.rows import SCHEMA as ROUTING_SCHEMA

        return RoutingBinding("routing", ROUTING_SCHEMA, "qray.routing.workload",
                              "qray.routing.worker:crash_row")
    if workload in ("cloud_train", "routing_train"):
        from qray.errors import ConfigError

        job = "train_scheduler" if workload == "cloud_train" else "train_router"
        raise ConfigError("workload", workload, "a sweep workload (simulators, netsim, "
                          "qkernels, cloud, routing)", problem="not a sweep:",
                          hint=f"train with python jobs/{job}.py")
    raise KeyError(f"no actor binding for workload {workload!r}")
