"""The netsim worker: builds each testbed once and runs experiments on it.

Plain Python on ``qray.worker.RowWorker``; the runtime's generic ``WorkerActor`` holds it. The
seed's runner needed gc passes, closing file descriptors, sleeps in destructors and one OS
process per physics model to keep its memory in check; here an experiment allocates only
its own traces and returns one row, the testbeds are cached per (model, parameters,
topology seed), and the owning actor is recycled by task count or RSS like every actor.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from qray.netsim.physics.base import Testbed
from qray.netsim.registry import load, make_params
from qray.netsim.rows import WORKLOAD
from qray.netsim.runner import experiment_from_params, run
from qray.tasks import canonical_json
from qray.worker import RowWorker

log = logging.getLogger(__name__)

#: testbeds kept per worker (a worker serves one physics model; a few parameter sets)
MAX_TESTBEDS = 4


def build_testbed(physics: str, raw_params: Mapping[str, Any], topology_seed: int) -> Testbed:
    """Validate a model's parameters and build its testbed."""
    params = make_params("physics", physics, raw_params, key=f"models.{physics}")
    testbed = load("physics", physics)(params, topology_seed)
    testbed.check_arm_counts(f"models.{physics}.total_qubits")
    return testbed


class NetsimWorker(RowWorker):
    """Runs netsim experiments; one per netsim actor (``qray/netsim/<physics>-<i>``).

    Args:
        physics: the physics model this worker serves (others are refused).
        max_tasks, max_rss_mb: recycling thresholds (``should_recycle``).
        actor_name: recorded in every row.
    """

    WORKLOAD = WORKLOAD

    def __init__(self, physics: str, *, max_tasks: int = 0, max_rss_mb: float = float("inf"),
                 actor_name: str = "") -> None:
        load("physics", physics)
        super().__init__(actor_name=actor_name or f"inprocess/netsim/{physics}",
                         max_tasks=max_tasks, max_rss_mb=max_rss_mb)
        self.physics = physics
        self.testbeds: dict[str, Testbed] = {}

    def testbed(self, params: Mapping[str, Any]) -> Testbed:
        """The (cached) testbed of a task's physics parameters."""
        key = canonical_json([params["model_params"], params["topology_seed"]])
        if key not in self.testbeds:
            if len(self.testbeds) >= MAX_TESTBEDS:
                self.testbeds.pop(next(iter(self.testbeds)))
            t0 = time.perf_counter()
            self.testbeds[key] = build_testbed(self.physics, params["model_params"],
                                               params["topology_seed"])
            log.info("built %s testbed in %.2fs", self.physics, time.perf_counter() - t0)
        return self.testbeds[key]

    @staticmethod
    def identity(params: Mapping[str, Any]) -> dict[str, Any]:
        return identity(params)

    def compute(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Run one experiment: its metrics, the path count and the distance-shortest path."""
        params = spec["params"]
        if params["physics"] != self.physics:
            raise ValueError(f"this worker serves {self.physics}, not {params['physics']}")
        testbed = self.testbed(params)
        exp = experiment_from_params(params, int(spec["seed"]))
        result = run(testbed, exp)
        return {**result.metrics(), "n_paths": testbed.n_paths, "run_s": result.seconds,
                "distance_path": min(range(testbed.n_paths),
                                     key=lambda p: testbed.paths[p].distance)}

    def info(self) -> dict[str, Any]:
        """Physics model, tasks run and cached testbeds."""
        return {"physics": self.physics, "tasks_done": self.tasks_done,
                "testbeds": len(self.testbeds)}


def identity(params: Mapping[str, Any]) -> dict[str, Any]:
    """The identifying columns of an experiment's row."""
    return {
        "physics": params["physics"],
        "allocator": params["allocator"],
        "scenario": params["scenario"],
        "learner": params["learner"],
        "horizon": params["horizon"],
        "replicate": params.get("replicate", 0),
        "epoch": params["epoch"],
        "scale": params.get("scale", 1.0),
        "topology_seed": params["topology_seed"],
        "learner_config": canonical_json(params.get("learner_params", {}).get(params["learner"], {})),
    }
