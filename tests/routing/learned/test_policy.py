"""An exported router (a tiny traced scorer, no training) loads, routes and verifies; its
``policy.pt`` must be the model ``policy.json``'s ``model_digest`` names, also in the
worker, where the folder may have changed after the plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qray.errors import ConfigError
from qray.routing.bridge import route
from qray.routing.circuits.benchmarks import benchmark_circuit
from qray.routing.circuits.graphs import coupling_graph
from qray.routing.circuits.verify import verify
from qray.routing.learned.policy import load_policy
from tests.routing.policies import write_policy


def test_an_exported_router_loads_routes_and_verifies(tmp_path: Path) -> None:
    meta = write_policy(tmp_path / "p", "grid-3x3")
    policy = load_policy(tmp_path / "p", coupling_graph("grid-3x3"))
    assert policy.model_digest == meta["model_digest"]
    qc = benchmark_circuit("random", 6, key=10_000_000, gates=20)
    result = route(qc, "grid-3x3", policy)
    assert verify(qc, result, "grid-3x3").ok


def test_a_swapped_model_is_refused_naming_the_key(tmp_path: Path) -> None:
    write_policy(tmp_path / "p", "grid-3x3", seed=0)
    write_policy(tmp_path / "q", "grid-3x3", seed=1)
    shutil.copy(tmp_path / "q" / "policy.pt", tmp_path / "p" / "policy.pt")
    with pytest.raises(ConfigError, match=r"'policies.grid-3x3'.*model_digest.*export"):
        load_policy(tmp_path / "p", key="policies.grid-3x3")


def test_the_worker_refuses_a_model_other_than_the_planned_one(tmp_path: Path) -> None:
    from qray.routing.worker import RoutingWorker

    planned = write_policy(tmp_path / "p", "grid-3x3", seed=0)["model_digest"]
    write_policy(tmp_path / "p", "grid-3x3", seed=1)  # re-exported after the plan
    params = {"router": "ppo", "coupling_map": "grid-3x3", "family": "random",
              "n_qubits": 4, "random_gates": 5, "sabre_seed": 2024, "max_steps": None,
              "operator_max_qubits": 10, "policy": str(tmp_path / "p"),
              "model_digest": planned, "instance": 10_000_000}
    row = RoutingWorker("ppo").run_task({"task_id": "t", "point_id": "p", "sweep_id": "s",
                                         "seed": 1, "params": params})
    assert row["status"] == "error" and "not the planned" in row["error"]
    params["model_digest"] = load_policy(tmp_path / "p").model_digest
    row = RoutingWorker("ppo").run_task({"task_id": "t", "point_id": "p", "sweep_id": "s",
                                         "seed": 1, "params": params})
    assert row["status"] == "ok" and row["verified"], row["error"]
