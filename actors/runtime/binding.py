"""The generic Ray binding of a workload: what the sweep driver and the executor need,
read from the workload's ``WorkloadSpec`` (nothing here names a workload)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pyarrow as pa

from actors.runtime.pool import ActorSpec
from actors.runtime.resources import thread_env
from qray.config import ResourceSpec, SweepConfig
from qray.tasks import Point
from qray.workloads import WorkloadSpec, resolve, sweep_spec

#: the actor that holds a workload's plain worker when its spec names no actor class
GENERIC_ACTOR = "actors.runtime.worker_actor:WorkerActor"


@dataclass(frozen=True)
class WorkloadBinding:
    """One workload's spec, as the Ray layer uses it."""

    spec: WorkloadSpec

    @property
    def name(self) -> str:
        return self.spec.name

    @cached_property
    def schema(self) -> pa.Schema:
        return self.spec.load("schema")

    @cached_property
    def module(self) -> Any:
        """The workload module (``plan``, ``task_specs``)."""
        return importlib.import_module(self.spec.workload)

    def plan(self, cfg: SweepConfig) -> Any:
        return self.module.plan(cfg)

    def libraries(self, cfg: SweepConfig) -> list[str]:
        """Distributions whose versions the sweep's provenance records beyond qray's
        usual list (the workload module's optional ``libraries(cfg)``)."""
        fn = getattr(self.module, "libraries", None)
        return list(fn(cfg)) if callable(fn) else []

    def actor_key(self, point: Point, plan: Any) -> str:
        """Key (in the actor pool) of the actor that runs ``point``'s tasks."""
        return self.spec.key_of(point, plan)

    def actor_keys(self, cfg: SweepConfig, plan: Any) -> list[str]:
        """Every actor key the sweep's pool may create."""
        if self.spec.actor_keys:
            return list(resolve(self.spec.actor_keys)(cfg, plan))
        return sorted({self.actor_key(p, plan) for p in plan.points})

    def validate_cluster(self, cfg: SweepConfig, keys: list[str]) -> None:
        """The spec's checks against the live cluster beyond one actor's fit."""
        if self.spec.validate_cluster:
            resolve(self.spec.validate_cluster)(cfg, self.resources)

    def resource_name(self, key: str) -> str:
        """The entry under ``resources`` of the actor ``key``."""
        return self.spec.resources_entry(key)

    def resources(self, cfg: SweepConfig, key: str) -> ResourceSpec:
        """Resources of the actor serving ``key``: its spec names the ``resources`` entry,
        the config holds it."""
        return cfg.resources_for(self.spec.resources_entry(key))

    def actor_options(self, cfg: SweepConfig, key: str) -> dict[str, Any]:
        """Ray options of the actor serving ``key``: its resources, restarts and a thread
        environment capped at its CPUs."""
        res = self.resources(cfg, key)
        options: dict[str, Any] = {
            "num_cpus": res.num_cpus,
            "num_gpus": res.num_gpus,
            "max_restarts": cfg.actor.max_restarts,
            "max_task_retries": 2,
        }
        if self.spec.threads_env:
            options["runtime_env"] = {"env_vars": thread_env(res.threads)}
        if res.resources:
            options["resources"] = dict(res.resources)
        return options

    def actor_spec(self, cfg: SweepConfig, key: str) -> ActorSpec:
        """How the pool builds the actor ``key``: the spec's actor class with its
        arguments, or the generic shell around the spec's worker."""
        name = self.spec.actor_name(key)
        res = self.resources(cfg, key)
        if self.spec.actor:
            kwargs = dict(resolve(self.spec.actor_kwargs)(cfg, key, res)) \
                if self.spec.actor_kwargs else {}
            cls = self.spec.actor
        else:
            kwargs = {"worker": self.spec.worker,
                      "worker_kwargs": self.spec.worker_arguments(cfg, key, res),
                      "max_rss_growth_mb": cfg.actor.max_rss_growth_mb}
            cls = GENERIC_ACTOR
        return ActorSpec(name=name, cls=cls, kwargs={**kwargs, "actor_name": name},
                         options=self.actor_options(cfg, key))

    def task_specs(self, point: Point, cfg: SweepConfig, sweep_id: str,
                   only: set[str] | None = None) -> list[dict[str, Any]]:
        return self.module.task_specs(point, cfg, sweep_id, only)

    def crash_row(self, spec: dict[str, Any], message: str, key: str) -> dict[str, Any]:
        """The row of a task whose actor (serving ``key``) died running it."""
        return self.spec.crash_row_of(spec, message, key)


def get_binding(workload: str) -> WorkloadBinding:
    """The binding of sweep workload ``workload`` (a training config is refused with the
    command that trains it; an unknown name gets the closest match)."""
    return WorkloadBinding(sweep_spec(workload))
