"""qray's routers as a Qiskit TransformationPass in a PassManager."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.transpiler import CouplingMap, PassManager
from qiskit.transpiler.exceptions import TranspilerError

from qray.routing.circuits.qiskit_pass import QrayRouting
from qray.routing.circuits.result import RoutedCircuit
from qray.routing.circuits.verify import verify
from tests.routing.policies import write_policy


def _circuit(seed: int) -> QuantumCircuit:
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(9)
    for i in range(20):
        a, b = (int(x) for x in rng.choice(9, 2, replace=False))
        qc.ry(0.2 * i, a)
        qc.cz(a, b)
    return qc


@pytest.mark.parametrize("router", ["front-search-2", "lookahead", "policy"])
def test_pass_routes_in_a_pass_manager_and_sets_the_final_layout(router: str,
                                                                 tmp_path: Path) -> None:
    if router == "policy":
        write_policy(tmp_path / "p", "grid-3x3")
        router = f"policy:{tmp_path / 'p'}"
    coupling = CouplingMap.from_grid(3, 3)
    qc = _circuit(1)
    pm = PassManager([QrayRouting(coupling, router)])
    routed = pm.run(qc)
    edges = {frozenset(e) for e in coupling.get_edges()}
    two = [inst for inst in routed.data if len(inst.qubits) == 2]
    assert all(frozenset(routed.find_bit(q).index for q in inst.qubits) in edges
               for inst in two)
    final = pm.property_set["final_layout"]
    assert pm.property_set["qray_swaps"] == sum(1 for i in two if i.operation.name == "swap")
    result = RoutedCircuit(routed, list(range(9)), [final[q] for q in qc.qubits],
                           pm.property_set["qray_swaps"], 0.0, router)
    verdict = verify(qc, result, "grid-3x3", operator_max_qubits=9)
    assert verdict.ok and verdict.operator, verdict.problems


def test_pass_refuses_a_circuit_without_a_layout() -> None:
    with pytest.raises(TranspilerError, match="apply a layout first"):
        PassManager([QrayRouting("grid-3x3", "front-greedy")]).run(QuantumCircuit(4))
