"""Routers by name: policies loaded once per process, names in one spelling."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qray.errors import ConfigError
from qray.routing.bridge import route
from qray.routing.circuits.benchmarks import benchmark_circuit
from qray.routing.circuits.graphs import coupling_graph
from qray.routing.learned.policy import MODEL_FILE, cached_policy
from qray.routing.routers import ROUTER_NAMES, TABLE, canonical_router, make_router
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


class ReversedSabre:
    """A router added by one table line: SABRE, named after its trials."""

    def __init__(self, trials: int, seed: int) -> None:
        from qray.routing.routers.sabre import SabreRouter

        self.inner = SabreRouter(trials, seed)
        self.name = f"reversed-{trials}"

    def route_circuit(self, circuit, graph):
        routed = self.inner.route_circuit(circuit, graph)
        routed.router = self.name
        return routed


def test_a_new_router_is_one_table_line(monkeypatch) -> None:
    monkeypatch.setitem(TABLE, "reversed-<trials>",
                        ("tests.routing.routers.test_routers:ReversedSabre", {}))
    graph = coupling_graph("grid-3x3")
    routed = route(benchmark_circuit("random", 5, 1, 20), graph, "reversed-03")
    assert routed.extra["verified"] and routed.router == "reversed-3"
    assert canonical_router("reversed-03") == "reversed-3"


def test_every_table_entry_builds_by_name() -> None:
    graph = coupling_graph("grid-3x3")
    for name in ("sabre-2", "lookahead", "front-greedy", "front-search-3"):
        router = make_router(name, graph)
        assert router.name == name
    for bad in ("sabre-0", "sabre-x", "front-search-", "policy-search-0:/x", "nope"):
        with pytest.raises(ConfigError, match="unknown router"):
            canonical_router(bad, key="routers[0]")
    assert set(ROUTER_NAMES) == set(TABLE)
