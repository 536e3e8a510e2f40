"""The IR as a Qiskit circuit: the one conversion every workload uses (simulators' Aer
backends, cloud's task pool, routing's benchmark circuits).

Qiskit is imported when a circuit is converted, not when this module is, so importing
``qray.circuits`` never pulls in Qiskit.
"""

from __future__ import annotations

from typing import Any

from qray.circuits.ir import Circuit


def to_qiskit(circuit: Circuit, *, measure: bool = True) -> Any:
    """The IR as a qiskit ``QuantumCircuit`` (classical bit i holds qubit i)."""
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(circuit.n_qubits, circuit.n_qubits if measure else 0)
    for g in circuit.gates:
        getattr(qc, g.name)(*g.params, *g.qubits)
    if measure:
        qc.measure(range(circuit.n_qubits), range(circuit.n_qubits))
    return qc
