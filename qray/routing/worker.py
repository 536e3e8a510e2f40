"""The routing worker: one router, routing and verifying benchmark circuits, one row each.

Plain Python on ``qray.worker.RowWorker``; the runtime's generic ``WorkerActor`` holds it.
Graphs and routers are built once per coupling map.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from qray.routing.rows import WORKLOAD
from qray.worker import RowWorker

log = logging.getLogger(__name__)


class RoutingWorker(RowWorker):
    """Routes with ``router`` (a classical router's name, or ``ppo`` with per-map policy
    folders given in each task)."""

    WORKLOAD = WORKLOAD

    def __init__(self, router: str, *, actor_name: str = "", max_tasks: int = 0,
                 max_rss_mb: float = float("inf")) -> None:
        super().__init__(actor_name=actor_name or f"inprocess/routing/{router}",
                         max_tasks=max_tasks, max_rss_mb=max_rss_mb)
        self.router = router
        self._graphs: dict[str, Any] = {}
        self._routers: dict[tuple[str, str], Any] = {}

    def warmup(self) -> float:
        """In an actor: one torch thread, and quiet qiskit's per-pass timing logs."""
        import torch

        logging.getLogger("qiskit").setLevel(logging.WARNING)
        torch.set_num_threads(1)
        return 0.0

    def graph(self, cmap: str) -> Any:
        from qray.routing.circuits.graphs import coupling_graph

        if cmap not in self._graphs:
            self._graphs[cmap] = coupling_graph(cmap)
        return self._graphs[cmap]

    def router_for(self, params: Mapping[str, Any]) -> Any:
        from qray.routing.routers import make_router

        cmap = params["coupling_map"]
        spec = f"policy:{params['policy']}" if params.get("policy") else self.router
        if params.get("search_width"):
            spec = f"policy-search-{int(params['search_width'])}:{params['policy']}"
        key = (cmap, spec)
        if key not in self._routers:
            router = make_router(spec, self.graph(cmap), seed=int(params.get("sabre_seed", 2024)),
                                 search_horizon=params.get("search_horizon"))
            planned = params.get("model_digest")
            if planned and getattr(router, "model_digest", None) != planned:
                # the folder changed between the plan and this actor: not the planned model
                raise ValueError(f"policy {params['policy']} holds model "
                                 f"{getattr(router, 'model_digest', None)}, not the planned "
                                 f"{planned}: export it again and rerun the sweep")
            self._routers[key] = router
        return self._routers[key]

    @staticmethod
    def identity(p: Mapping[str, Any]) -> dict[str, Any]:
        return {"router": p["router"], "coupling_map": p["coupling_map"],
                "family": p["family"], "n_qubits": int(p["n_qubits"]),
                "instance": int(p["instance"]), "verified": False}

    def compute(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Route one benchmark circuit and verify it (with the Operator check where the
        map is small); a circuit that fails verification is an ``error`` row."""
        from qray.routing.bridge import route
        from qray.routing.circuits.benchmarks import benchmark_circuit
        from qray.routing.circuits.io import interactions, routable, two_qubit_depth
        from qray.routing.circuits.verify import verify

        p = spec["params"]
        graph = self.graph(p["coupling_map"])
        circuit = routable(benchmark_circuit(p["family"], int(p["n_qubits"]),
                                             int(p["instance"]), int(p["random_gates"])))
        # verified below with the Operator check, and the verdict is the row's
        result = route(circuit, graph, self.router_for(p), max_steps=p.get("max_steps"),
                       check=False)
        t0 = time.perf_counter()
        check = verify(circuit, result, graph,
                       operator_max_qubits=int(p.get("operator_max_qubits", 10)))
        return {
            "status": "ok" if check.ok else "error",
            "error": None if check.ok else "; ".join(check.problems)[:500],
            "gates_2q": len(interactions(circuit)), "depth_in": int(circuit.depth()),
            "swaps": result.swaps, "depth": int(result.circuit.depth()),
            "depth_2q": two_qubit_depth(result.circuit),
            "route_s": result.seconds, "steps": result.steps, "verified": check.ok,
            "adjacent": check.adjacent, "equivalent": check.equivalent,
            "operator_checked": check.operator is not None,
            "verify_s": time.perf_counter() - t0}

    def info(self) -> dict[str, Any]:
        return {"router": self.router, "tasks_done": self.tasks_done}
