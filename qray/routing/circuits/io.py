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


def load_circuit(source: Any, key: str = "circuit") -> Any:
    """A ``QuantumCircuit`` from a circuit, an OpenQASM 2/3 file path (``qasm:`` optional)
    or a QASM program's text, through qray's one circuit loader (``qray.circuits.sources``:
    a file that is missing or does not parse is a ConfigError naming ``key``)."""
    from qiskit import QuantumCircuit

    from qray.circuits.sources import load_qasm_file, parse_qasm

    if isinstance(source, QuantumCircuit):
        return source
    text = str(source)
    path = Path(text.removeprefix("qasm:"))
    if "\n" not in text and (text.startswith("qasm:")
                             or path.suffix in (".qasm", ".qasm2", ".qasm3")):
        return load_qasm_file(path, key, entry=text)
    return parse_qasm(text, key)


class ControlFlowError(ValueError):
    """A circuit with control flow: the interaction circuit of ``circuit.data`` order, the
    SWAP inserter and the verifier see only the top level, so routing it is refused."""


def control_flow_ops(circuit: Any) -> list[str]:
    """The control-flow instructions at the top level of ``circuit`` (``if_else``,
    ``while_loop``, ``for_loop``, ``switch_case``, ``box``, ...)."""
    from qiskit.circuit import CONTROL_FLOW_OP_NAMES, ControlFlowOp

    return [inst.operation.name for inst in circuit.data
            if isinstance(inst.operation, ControlFlowOp)
            or inst.operation.name in CONTROL_FLOW_OP_NAMES]


def check_no_control_flow(circuit: Any) -> None:
    """Raise ``ControlFlowError`` naming the control-flow instructions of ``circuit``."""
    found = control_flow_ops(circuit)
    if found:
        raise ControlFlowError(
            f"circuit {circuit.name!r} has control flow ({', '.join(sorted(set(found)))}: "
            f"{len(found)} instruction(s)); it cannot be routed or verified here; allowed: a "
            "circuit without if_else, while_loop, for_loop, switch_case or box (unroll or "
            "remove it first)")


def expand(circuit: Any, n_physical: int) -> Any:
    """``circuit`` on ``n_physical`` qubits with the trivial layout (same clbits)."""
    from qiskit import QuantumCircuit

    if circuit.num_qubits > n_physical:
        raise ValueError(f"circuit has {circuit.num_qubits} qubits; the coupling map has "
                         f"{n_physical}")
    out = QuantumCircuit(n_physical, circuit.num_clbits, global_phase=circuit.global_phase)
    return out.compose(circuit, qubits=range(circuit.num_qubits),
                       clbits=range(circuit.num_clbits))


def routable(circuit: Any) -> Any:
    """``circuit`` with its SWAP gates written as three CX (so every SWAP in a routed
    circuit is one the router inserted) and gates on three or more qubits decomposed.
    A circuit with control flow is refused (``ControlFlowError``)."""
    for _ in range(8):  # decomposing a wide gate may produce SWAPs, and the reverse
        check_no_control_flow(circuit)
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
                             "decompose it first (qray.routing.circuits.io.routable)")
        pairs.append((index[inst.qubits[0]], index[inst.qubits[1]]))
    return np.asarray(pairs, dtype=np.int32).reshape(-1, 2)


def two_qubit_depth(circuit: Any) -> int:
    """Depth counting only two-qubit gates (SWAPs included; barriers and delays not)."""
    return int(circuit.depth(lambda inst: len(inst.qubits) == 2
                             and inst.operation.name not in UNROUTED))
