"""The experiment's grid: one point per combination of the grid's values, one task per
repetition. A task's id covers the callable's name and code identity, every argument,
the repetition and the base seed."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from qray.experiment.config import ExperimentConfig
from qray.tasks import Plan as BasePlan
from qray.tasks import Point, Task, content_hash, stable_seed, wire_specs

WORKLOAD = "experiment"


@dataclass(frozen=True)
class Plan(BasePlan):
    """The points, and which actor serves each (``actors``: point id -> key)."""

    actors: dict[str, str] | None = None


def arguments_of(cfg: ExperimentConfig) -> list[dict[str, Any]]:
    """Every grid combination with the fixed params, in grid order (the last key
    fastest)."""
    keys = list(cfg.grid)
    combos = itertools.product(*(cfg.grid[k] for k in keys))
    return [{**dict(zip(keys, values, strict=True)), **cfg.params} for values in combos]


def actor_name(cfg: ExperimentConfig, call: dict[str, Any], point_id: str) -> str:
    """The actor key of a point: its ``actor_key`` value, or one of ``max_parallel``
    shared workers (``worker-<i>``, by the point's id)."""
    if cfg.actor_key is not None:
        return value_key(call[cfg.actor_key])
    return f"worker-{int(point_id[:8], 16) % cfg.max_parallel}"


def value_key(value: Any) -> str:
    """An actor key for an ``actor_key`` value (its text; lists by their content)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "list-" + content_hash(value)[:8]
    return str(value)


def plan(cfg: ExperimentConfig) -> Plan:
    ident = {"experiment": cfg.loaded.name, "code": cfg.loaded.code_id}
    points = []
    actors: dict[str, str] = {}
    for call in arguments_of(cfg):
        params = {**ident, "call": call}
        tasks = tuple(Task(WORKLOAD, {**params, "repetition": r, "base_seed": cfg.seed})
                      for r in range(cfg.repetitions))
        point = Point(WORKLOAD, params, tasks)
        points.append(point)
        actors[point.point_id] = actor_name(cfg, call, point.point_id)
    return Plan(points, {}, actors)


def task_specs(point: Point, cfg: ExperimentConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    extra = {"timeout_s": cfg.timeout_s} if cfg.timeout_s is not None else {}
    return wire_specs(point, sweep_id, only=only,
                      seed=lambda t: stable_seed(WORKLOAD, cfg.seed, t.strong_id), **extra)


def libraries(cfg: ExperimentConfig) -> list[str]:
    """Distributions whose versions the sweep's provenance records: those of the
    modules the experiment's file imports at its top level."""
    import ast
    from importlib.metadata import packages_distributions

    text = cfg.loaded.payload.text
    if not text:
        return []
    modules: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            modules |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module.split(".")[0])
    dists = packages_distributions()
    return sorted({d for m in modules for d in dists.get(m, [])})
