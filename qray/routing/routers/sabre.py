"""The SABRE baseline: Qiskit's ``SabreSwap`` (LightSABRE) with ``heuristic="decay"``, the
trivial layout, a fixed seed and explicit ``trials`` (its default, the CPU count, would
make the numbers machine-dependent)."""

from __future__ import annotations

import time
from typing import Any

import networkx as nx

from qray.routing.circuits.graphs import edge_list, sorted_edges
from qray.routing.circuits.io import expand
from qray.routing.circuits.result import RoutedCircuit


class SabreRouter:
    """Routes whole circuits with ``SabreSwap(coupling_map, "decay", seed, trials)``."""

    def __init__(self, trials: int = 1, seed: int = 2024) -> None:
        if int(trials) < 1:
            raise ValueError(f"trials must be >= 1, got {trials}")
        self.trials = int(trials)
        self.seed = int(seed)
        self.name = f"sabre-{self.trials}"

    def route_circuit(self, circuit: Any, graph: nx.Graph) -> RoutedCircuit:
        from qiskit.converters import circuit_to_dag, dag_to_circuit
        from qiskit.transpiler import CouplingMap
        from qiskit.transpiler.passes import SabreSwap

        started = time.perf_counter()
        n = graph.number_of_nodes()
        dag = circuit_to_dag(expand(circuit, n))
        swap_pass = SabreSwap(CouplingMap(edge_list(sorted_edges(graph))), heuristic="decay",
                              seed=self.seed, trials=self.trials)
        routed = dag_to_circuit(swap_pass.run(dag))
        layout = swap_pass.property_set["final_layout"]
        qubits = dag.qubits
        final = ([layout[qubits[i]] for i in range(circuit.num_qubits)] if layout is not None
                 else list(range(circuit.num_qubits)))
        swaps = int(routed.count_ops().get("swap", 0))
        return RoutedCircuit(routed, list(range(circuit.num_qubits)), final, swaps,
                             time.perf_counter() - started, self.name,
                             extra={"seed": self.seed, "trials": self.trials})
