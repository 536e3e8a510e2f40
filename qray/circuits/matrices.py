"""Unitary matrices of the IR gates (qubit order of multi-qubit gates: first qubit is the
most significant), used by the numpy reference simulator."""

from __future__ import annotations

import numpy as np

from qray.circuits.ir import Gate

_SQ2 = 1 / np.sqrt(2)
_FIXED = {
    "h": np.array([[1, 1], [1, -1]], dtype=complex) * _SQ2,
    "x": np.array([[0, 1], [1, 0]], dtype=complex),
    "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "z": np.diag([1, -1]).astype(complex),
    "s": np.diag([1, 1j]),
    "sdg": np.diag([1, -1j]),
    "t": np.diag([1, np.exp(1j * np.pi / 4)]),
    "cx": np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]], dtype=complex),
    "cz": np.diag([1, 1, 1, -1]).astype(complex),
    "swap": np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=complex),
}

PAULIS = (
    np.eye(2, dtype=complex),
    _FIXED["x"],
    _FIXED["y"],
    _FIXED["z"],
)


def gate_matrix(gate: Gate) -> np.ndarray:
    """The 2x2 or 4x4 unitary of ``gate``."""
    if gate.name in _FIXED:
        return _FIXED[gate.name]
    (theta,) = gate.params
    c, s = np.cos(theta / 2), np.sin(theta / 2)
    if gate.name == "rx":
        return np.array([[c, -1j * s], [-1j * s, c]])
    if gate.name == "ry":
        return np.array([[c, -s], [s, c]], dtype=complex)
    if gate.name == "rz":
        return np.diag([np.exp(-1j * theta / 2), np.exp(1j * theta / 2)])
    if gate.name == "cp":
        return np.diag([1, 1, 1, np.exp(1j * theta)])
    raise ValueError(f"no matrix for gate {gate.name}")


def pauli_strings(n_qubits: int) -> list[np.ndarray]:
    """The non-identity Pauli matrices on ``n_qubits`` (3 for one qubit, 15 for two)."""
    if n_qubits == 1:
        return list(PAULIS[1:])
    return [np.kron(a, b) for i, a in enumerate(PAULIS) for j, b in enumerate(PAULIS) if i or j]
