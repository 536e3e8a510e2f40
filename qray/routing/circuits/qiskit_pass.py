"""qray's routers as a Qiskit ``TransformationPass``, for a ``PassManager``.

``QrayRouting(coupling_map, router)`` routes a circuit already on the device's physical
qubits (after a layout stage, or on ``n`` qubits with the trivial layout) with any router
``bridge.route`` takes: ``"front-search-4"``, ``"front-greedy"``, ``"sabre-20"``,
``"lookahead"``, ``"policy:<folder>"`` (an exported learned router) or a router object.
Every result is verified before it replaces the DAG. As Qiskit's routing passes, it sets
``property_set["final_layout"]`` (composed with one already there) and counts its SWAPs
in ``property_set["qray_swaps"]``.

    from qiskit.transpiler import PassManager
    pm = PassManager([QrayRouting("grid-5x5", "front-search-4")])
    routed = pm.run(circuit_on_25_qubits)
"""

from __future__ import annotations

from typing import Any

from qiskit.converters import dag_to_circuit
from qiskit.transpiler import Layout, TransformationPass
from qiskit.transpiler.exceptions import TranspilerError

from qray.routing.circuits.graphs import to_graph


class QrayRouting(TransformationPass):
    """Route the DAG with a qray router (see the module)."""

    def __init__(self, coupling_map: Any, router: Any = "front-search-4") -> None:
        super().__init__()
        from qray.routing.routers import make_router

        self.graph = to_graph(coupling_map)
        self.router = make_router(router, self.graph) if isinstance(router, str) else router

    def run(self, dag: Any) -> Any:
        from qray.routing.bridge import route

        n = self.graph.number_of_nodes()
        if dag.num_qubits() != n:
            raise TranspilerError(f"QrayRouting: the circuit has {dag.num_qubits()} qubits, "
                                  f"the coupling map {n}: apply a layout first")
        result = route(dag_to_circuit(dag), self.graph, self.router)
        layout = Layout(dict(zip(dag.qubits, result.final_layout, strict=True)))
        prev = self.property_set["final_layout"]
        self.property_set["final_layout"] = (layout if prev is None
                                             else prev.compose(layout, dag.qubits))
        self.property_set["qray_swaps"] = result.swaps
        out = dag.copy_empty_like()  # the same qubits, clbits and global phase
        routed = result.circuit
        for inst in routed.data:
            out.apply_operation_back(
                inst.operation, [dag.qubits[routed.find_bit(q).index] for q in inst.qubits],
                [dag.clbits[routed.find_bit(c).index] for c in inst.clbits])
        return out
