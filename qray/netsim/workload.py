"""The ``netsim`` workload: grid expansion and pre-flight validation.

A grid point is (physics, allocator, scenario, learner, horizon); its tasks are the
``runs`` replicates. Every physics model's testbed is built once here, before Ray starts,
so a bad model parameter (too few qubits, a missing edge list, more paths than the
topology has) is a config error naming its key. Points are spread round-robin over the
``replicas`` actors of their physics model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qray.errors import ConfigError
from qray.lifecycle import machine_memory_mb
from qray.netsim.bounds import MAX_TASKS
from qray.netsim.config import NetsimConfig
from qray.netsim.rows import WORKLOAD
from qray.tasks import Plan as BasePlan
from qray.tasks import Point, Task, stable_seed, wire_specs


@dataclass(frozen=True)
class Plan(BasePlan):
    """The expanded grid (netsim has no refused points) and each point's actor."""

    actors: dict[str, str] = field(default_factory=dict)  # point_id -> actor key


def build_testbeds(cfg: NetsimConfig) -> dict[str, Any]:
    """Every configured physics model's testbed (validates the model parameters)."""
    from qray.netsim.worker import build_testbed

    return {m: build_testbed(m, cfg.models.get(m, {}), cfg.topology_seed) for m in cfg.physics}


def check_grid_size(cfg: NetsimConfig) -> int:
    """The sweep's experiment count; a ConfigError naming its largest axis when it is over
    :data:`MAX_TASKS` (checked before any testbed is built)."""
    from qray.netsim.registry import param_grid

    learners = sum(len(param_grid("learners", x, cfg.learner_params.get(x),
                                  key=f"learner_params.{x}")) for x in cfg.learners)
    axes = {"physics": len(cfg.physics), "learners": learners,
            "scenarios": len(cfg.scenarios), "allocators": len(cfg.allocators),
            "horizons": len(cfg.horizons), "runs": cfg.runs}
    n_tasks = 1
    for n in axes.values():
        n_tasks *= n
    if n_tasks > MAX_TASKS:
        key = max(axes, key=axes.__getitem__)
        raise ConfigError(key, axes[key], f"a grid of at most {MAX_TASKS:,} experiments "
                          "(physics x learners x scenarios x allocators x horizons x runs)",
                          problem=f"too large a grid ({n_tasks:,} experiments); its largest "
                          "factor is")
    return n_tasks


def run_memory_mb(cfg: NetsimConfig, testbed: Any, learner: str,
                  horizon: int) -> tuple[float, float, int]:
    """(MiB of one experiment's learner state and traces, MiB of that in NeuralUCB's
    Z^-1 matrices, the NeuralUCB width or 0) of ``learner`` on ``testbed`` at ``horizon``
    frames."""
    from qray.netsim.learners.neural import NeuralParams
    from qray.netsim.registry import make_params, param_grid

    n_paths = testbed.n_paths
    traces = horizon * (n_paths + 6 * 8)  # the per-frame traces of every run
    key = f"learner_params.{learner}"
    raw = param_grid("learners", learner, cfg.learner_params.get(learner), key=key)[0]
    params = make_params("learners", learner, raw, key=key)
    if not isinstance(params, NeuralParams):
        return traces / 2**20, 0.0, 0
    dim = testbed.context(0, testbed.arms(0, testbed.baseline[0])).shape[1]
    n_grad = params.width + 1 if params.sigma == "last" else params.width * (dim + 2) + 1
    capacity = max(1, int(horizon * cfg.scale))
    z = n_paths * n_grad * n_grad * 8
    replay = n_paths * capacity * (dim + 1) * 8
    return (traces + z + replay) / 2**20, z / 2**20, params.width


def check_run_memory(cfg: NetsimConfig, testbeds: dict[str, Any]) -> None:
    """ConfigError when one experiment would need more memory than the actor's budget (or
    this machine, when the budget is more than it has): the neural learners keep a
    (width + 1)^2 matrix, or (width (d + 2) + 1)^2 with sigma=full, and a replay buffer of
    horizon * scale contexts per path."""
    budget = cfg.actor.memory_budget_mb
    machine = machine_memory_mb()
    limit = min(budget, machine)
    horizon = max(cfg.horizons)
    for physics, testbed in testbeds.items():
        for learner in cfg.learners:
            need, z, width = run_memory_mb(cfg, testbed, learner, horizon)
            if need <= limit:
                continue
            where = (f"actor.memory_budget_mb={budget:g}" if budget <= machine else
                     f"this machine's memory ({machine:,.0f} MiB; actor.memory_budget_mb="
                     f"{budget:g} is more than it has)")
            what = (f"one {learner} experiment on {physics} ({testbed.n_paths} paths, "
                    f"horizon {horizon:,}) needs about {need:,.0f} MiB")
            if z >= need / 2:
                raise ConfigError(f"learner_params.{learner}.width", width,
                                  f"a width whose NeuralUCB matrices fit {where}",
                                  problem=f"{what} (Z^-1 {z:,.0f} MiB); too wide:")
            key = "scale" if cfg.scale > 1 else f"horizons[{cfg.horizons.index(horizon)}]"
            value = cfg.scale if key == "scale" else horizon
            raise ConfigError(key, value, f"a replay buffer (horizon * scale contexts per "
                              f"path) that fits {where}", problem=f"{what}; too large:")


def plan(cfg: NetsimConfig) -> Plan:
    """Expand the config into points (validating every testbed first)."""
    check_grid_size(cfg)
    check_run_memory(cfg, build_testbeds(cfg))
    from qray.netsim.registry import param_grid

    points: list[Point] = []
    actors: dict[str, str] = {}
    grids = {x: param_grid("learners", x, cfg.learner_params.get(x), key=f"learner_params.{x}")
             for x in cfg.learners}
    for physics in cfg.physics:
        i = 0
        for learner, raw in ((x, r) for x in cfg.learners for r in grids[x]):
            for scenario in cfg.scenarios:
                for allocator in cfg.allocators:
                    for horizon in cfg.horizons:
                        params = point_params(cfg, physics, allocator, scenario, learner, horizon,
                                              learner_raw=raw)
                        tasks = tuple(Task(WORKLOAD, {**params, "replicate": r})
                                      for r in range(cfg.runs))
                        point = Point(WORKLOAD, params, tasks)
                        points.append(point)
                        actors[point.point_id] = f"{physics}-{i % cfg.replicas}"
                        i += 1
    return Plan(points, {}, actors)


def point_params(cfg: NetsimConfig, physics: str, allocator: str, scenario: str, learner: str,
                 horizon: int, *, learner_raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything that determines the results of a grid point's experiments (a model whose
    class has a ``MODEL_VERSION`` adds it, so results of an earlier model are not reused)."""
    from qray.netsim.registry import load

    version = getattr(load("physics", physics), "MODEL_VERSION", None)
    return {
        "physics": physics,
        **({"model_version": version} if version is not None else {}),
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
        "learner_params": {learner: learner_raw if learner_raw is not None
                           else cfg.learner_params.get(learner, {})},
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
    return wire_specs(point, sweep_id, only=only,
                      seed=lambda t: replicate_seed(cfg.seed, dict(t.params)))
