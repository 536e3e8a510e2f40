"""Routers by name: policies loaded once per process, names in one spelling."""

from __future__ import annotations

import os
from pathlib import Path

from qray.routing.benchmarks import benchmark_circuit
from qray.routing.bridge import route
from qray.routing.graphs import coupling_graph
from qray.routing.policy import MODEL_FILE
from qray.routing.routers import cached_policy, canonical_router
from tests.routing.policies import write_policy


def test_route_loads_a_policy_once_per_process_and_again_when_re_exported(
        tmp_path: Path) -> None:
    folder = tmp_path / "p"
    write_policy(folder, "grid-3x3", front=True)
    graph = coupling_graph("grid-3x3")
    first = cached_policy(str(folder), graph, key="router")
    assert cached_policy(str(folder), graph, key="router") is first  # not loaded again
    routed = route(benchmark_circuit("random", 5, 1, 20), graph, f"policy:{folder}")
    assert routed.extra["verified"]
    assert cached_policy(str(folder), graph, key="router") is first
    write_policy(folder, "grid-3x3", front=True, seed=1)  # re-exported: new weights
    model = folder / MODEL_FILE
    os.utime(model, ns=(model.stat().st_atime_ns, model.stat().st_mtime_ns + 10**9))
    assert cached_policy(str(folder), graph, key="router") is not first


def test_router_names_have_one_spelling() -> None:
    assert canonical_router("sabre-04") == "sabre-4"
    assert canonical_router("front-search-+2") == "front-search-2"
    assert canonical_router("policy-search-08:/x") == "policy-search-8:/x"
    assert canonical_router("lookahead") == "lookahead"
