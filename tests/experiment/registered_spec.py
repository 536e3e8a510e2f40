"""A whole workload in one module, registered from Python (``qray.workloads.register``):
the Tune workers and actors must run it although no entry point names it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from qray.config import SweepConfig
from qray.results import make_schema
from qray.tasks import Plan, Point, Task, stable_seed, wire_specs
from qray.worker import RowWorker
from qray.workloads import WorkloadSpec

NAME = "tinyreg"
SCHEMA = make_schema([pa.field("k", pa.int64()), pa.field("k2", pa.int64())], workload=NAME)


@dataclass(frozen=True)
class TinyConfig(SweepConfig):
    workload: str = NAME
    name: str = NAME
    ks: list[int] = field(default_factory=lambda: [1, 2, 3])

    def result_keys(self) -> tuple[str, ...]:
        return (*super().result_keys(), "ks")


def plan(cfg: TinyConfig) -> Plan:
    return Plan([Point(NAME, {"k": k}, (Task(NAME, {"k": k}),)) for k in cfg.ks])


def task_specs(point: Point, cfg: TinyConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    return wire_specs(point, sweep_id, only=only, seed=lambda t: stable_seed(NAME, t.strong_id))


class TinyWorker(RowWorker):
    WORKLOAD = NAME

    @staticmethod
    def identity(params: Mapping[str, Any]) -> dict[str, Any]:
        return {"k": params["k"]}

    def compute(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        k = spec["params"]["k"]
        return {"k2": k * k}


MOD = "tests.experiment.registered_spec"
SPEC = WorkloadSpec(name=NAME, config=f"{MOD}:TinyConfig", workload=MOD, schema=f"{MOD}:SCHEMA",
                    worker=f"{MOD}:TinyWorker", actor_key="k")
