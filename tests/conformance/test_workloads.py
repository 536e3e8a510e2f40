"""Every registered sweep workload passes ``qray.testing.check_workload`` on a tiny
config: plan, task specs, one task run in-process, its row and its crash row."""

from __future__ import annotations

from pathlib import Path

import pytest

from qray.testing import check_workload
from qray.workloads import get_spec, names

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"

TINY = {
    "simulators": (CONF / "simulators.yaml", ["backends=[numpy]", "circuits=[ghz]",
                                              "n_qubits=[3]", "noise=[0.0]", "repetitions=1",
                                              "shots=50", "warmup=0"]),
    "netsim": (CONF / "netsim_default.yaml", ["horizons=[50]", "runs=1"]),
    "qkernels": (CONF / "qkernels.yaml", ["backends=[numpy]", "n_qubits=[2]", "layers=[1]",
                                          "n_samples=40", "folds=2"]),
    "cloud": (CONF / "cloud_eval.yaml", ["heuristics=[RoundRobin]", "episodes=1"]),
    "routing": (CONF / "routing_eval.yaml", ["routers=[lookahead]", "maps=[grid-3x3]",
                                             "families=[random]", "sizes=[4]", "instances=1"]),
}


def test_every_builtin_sweep_workload_has_a_tiny_config() -> None:
    sweeps = {n for n in names() if get_spec(n).is_sweep and n in
              {"simulators", "netsim", "qkernels", "cloud", "routing"}}
    assert sweeps == set(TINY)


@pytest.mark.parametrize("workload", sorted(TINY))
def test_builtin_workload_meets_the_contract(workload: str) -> None:
    conf, overrides = TINY[workload]
    checked = check_workload(workload, conf, overrides)
    assert checked["points"] >= 1 and checked["tasks"] >= 1
    spec = get_spec(workload)
    if spec.worker:
        assert checked["row"]["status"] == "ok", checked["row"].get("error")
        assert checked["row"][spec.metric_tag]
