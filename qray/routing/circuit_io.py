"""Qiskit circuits <-> interaction circuits, with ONE gate order.

``interactions`` lists a circuit's two-qubit gates in the order of ``circuit.data``; the
Qiskit bridge inserts SWAPs by walking ``circuit.data`` in that same order, so a SWAP the
env recorded "before gate g" lands before the g-th two-qubit gate (the studied code
extracted gates in one order and inserted SWAPs in another).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

#: instructions that are never routed (they take no physical interaction)
UNROUTED = frozenset({"barrier", "delay"})


def load_circuit(source: Any) -> Any:
    """A ``QuantumCircuit`` from a circuit, a QASM file path or a QASM 2/3 string."""
    from qiskit import QuantumCircuit, qasm2, qasm3

    if isinstance(source, QuantumCircuit):
        return source
    text = str(source)
    path = Path(text)
    if "\n" not in text and path.suffix in (".qasm", ".qasm2", ".qasm3"):
        if not path.is_file():
            raise FileNotFoundError(f"no QASM file at {path}")
        text = path.read_text()
    if "OPENQASM 3" in text:
        return qasm3.loads(text)
    return qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)


def routable(circuit: Any) -> Any:
    """``circuit`` with its SWAP gates written as three CX (so every SWAP in a routed
    circuit is one the router inserted) and gates on three or more qubits decomposed."""
    for _ in range(8):  # decomposing a wide gate may produce SWAPs, and the reverse
        if any(inst.operation.control_flow for inst in circuit.data
               if hasattr(inst.operation, "control_flow")):
            raise ValueError("control flow (if/while/for/switch) cannot be routed here; "
                             "unroll it first")
        todo = {inst.operation.name for inst in circuit.data
                if inst.operation.name == "swap"
                or (len(inst.qubits) > 2 and inst.operation.name not in UNROUTED)}
        if not todo:
            return circuit
        circuit = circuit.decompose(gates_to_decompose=sorted(todo))
    raise ValueError(f"cannot decompose {sorted(todo)} into gates on at most two qubits")


def interactions(circuit: Any) -> np.ndarray:
    """The (logical) qubit pairs of ``circuit``'s two-qubit gates in ``circuit.data`` order,
    shape (k, 2), int32."""
    index = {q: i for i, q in enumerate(circuit.qubits)}
    pairs = []
    for inst in circuit.data:
        if inst.operation.name in UNROUTED or len(inst.qubits) < 2:
            continue
        if len(inst.qubits) > 2:
            raise ValueError(f"gate {inst.operation.name!r} acts on {len(inst.qubits)} qubits; "
                             "decompose it first (qray.routing.circuit_io.routable)")
        pairs.append((index[inst.qubits[0]], index[inst.qubits[1]]))
    return np.asarray(pairs, dtype=np.int32).reshape(-1, 2)
