"""The ``netsim`` workload: grid expansion and pre-flight validation.

A grid point is (physics, allocator, scenario, learner, horizon); its tasks are the
``runs`` replicates. Every physics model's testbed is built once here, before Ray starts,
so a bad model parameter (too few qubits, a missing edge list, more paths than the
topology has) is a config error naming its key. Points are spread round-robin over the
``replicas`` AllocatorActors of their physics model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qray.netsim.config import NetsimConfig
from qray.netsim.rows import WORKLOAD
from qray.tasks import Point, Task, stable_seed


@dataclass(frozen=True)
class Plan:
    """The expanded grid (netsim has no refused points)."""

    points: list[Point]
    problems: dict[str, tuple[str, str]]
    actors: dict[str, str]  # point_id -> actor key

    @property
    def n_tasks(self) -> int:
        return sum(len(p.tasks) for p in self.points)


def build_testbeds(cfg: NetsimConfig) -> dict[str, Any]:
    """Every configured physics model's testbed (validates the model parameters)."""
    from qray.netsim.worker import build_testbed

    return {m: build_testbed(m, cfg.models.get(m, {}), cfg.topology_seed) for m in cfg.physics}


def plan(cfg: NetsimConfig) -> Plan:
    """Expand the config into points (validating every testbed first)."""
    build_testbeds(cfg)
    points: list[Point] = []
    actors: dict[str, str] = {}
    for physics in cfg.physics:
        i = 0
        for learner in cfg.learners:
            for scenario in cfg.scenarios:
                for allocator in cfg.allocators:
                    for horizon in cfg.horizons:
                        params = point_params(cfg, physics, allocator, scenario, learner, horizon)
                        tasks = tuple(Task(WORKLOAD, {**params, "replicate": r})
                                      for r in range(cfg.runs))
                        point = Point(WORKLOAD, params, tasks)
                        points.append(point)
                        actors[point.point_id] = f"{physics}-{i % cfg.replicas}"
                        i += 1
    return Plan(points, {}, actors)


def point_params(cfg: NetsimConfig, physics: str, allocator: str, scenario: str, learner: str,
                 horizon: int) -> dict[str, Any]:
    """Everything that determines the results of a grid point's experiments."""
    return {
        "physics": physics,
        "model_params": cfg.models.get(physics, {}),
        "topology_seed": cfg.topology_seed,
        "allocator": allocator,
        "scenario": scenario,
        "learner": learner,
        "horizon": horizon,
        "epoch": cfg.epoch,
        "scale": cfg.scale,
        "allocator_params": {allocator: cfg.allocator_params.get(allocator, {})},
        "scenario_params": {scenario: cfg.scenario_params.get(scenario, {})},
        "learner_params": {learner: cfg.learner_params.get(learner, {})},
    }


def replicate_seed(base_seed: int, params: dict[str, Any]) -> int:
    """The seed of a replicate: the same for every learner and allocator of one (physics,
    scenario, horizon, replicate), so they face the same attack draws (common random
    numbers) and paired comparisons are fair."""
    return stable_seed("netsim", base_seed, params["physics"], params["model_params"],
                       params["topology_seed"], params["scenario"], params["scenario_params"],
                       params["horizon"], params["replicate"])


def task_specs(point: Point, cfg: NetsimConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    """The wire form of a point's tasks, as the actors receive them."""
    return [
        {
            "task_id": t.strong_id,
            "point_id": point.point_id,
            "sweep_id": sweep_id,
            "seed": replicate_seed(cfg.seed, dict(t.params)),
            "params": dict(t.params),
        }
        for t in point.tasks
        if only is None or t.strong_id in only
    ]
