"""Plain numpy reference simulator: statevector when noiseless, density matrix with noise.

Slow and obviously correct; every other backend is checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.circuits.ir import Circuit
from qray.circuits.matrices import gate_matrix, pauli_strings
from qray.circuits.noise import NoiseSpec
from qray.simulators.backends.base import Backend


def _apply(tensor: np.ndarray, u: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """Apply a k-qubit matrix ``u`` to the given tensor axes."""
    k = len(axes)
    u = u.reshape((2,) * (2 * k))
    moved = np.tensordot(u, tensor, axes=(list(range(k, 2 * k)), list(axes)))
    return np.moveaxis(moved, list(range(k)), list(axes))


def statevector(circuit: Circuit) -> np.ndarray:
    """Final state of ``circuit`` from |0...0>, big-endian flat vector."""
    n = circuit.n_qubits
    psi = np.zeros((2,) * n, dtype=complex)
    psi[(0,) * n] = 1.0
    for g in circuit.gates:
        psi = _apply(psi, gate_matrix(g), g.qubits)
    return psi.ravel()


def density_matrix(circuit: Circuit, noise: NoiseSpec) -> np.ndarray:
    """Final density matrix with depolarizing noise after every gate, shape (2**n, 2**n)."""
    n = circuit.n_qubits
    rho = np.zeros((2,) * (2 * n), dtype=complex)
    rho[(0,) * (2 * n)] = 1.0
    paulis = {1: pauli_strings(1), 2: pauli_strings(2)}
    for g in circuit.gates:
        u = gate_matrix(g)
        rows = g.qubits
        cols = tuple(q + n for q in g.qubits)
        rho = _apply(_apply(rho, u, rows), u.conj(), cols)
        p = noise.p1 if len(g.qubits) == 1 else noise.p2
        if p > 0:
            terms = paulis[len(g.qubits)]
            mixed = sum(_apply(_apply(rho, P, rows), P.conj(), cols) for P in terms)
            rho = (1 - p) * rho + (p / len(terms)) * mixed
    return rho.reshape(2**n, 2**n)


def ideal_probabilities(circuit: Circuit, noise: NoiseSpec | None = None) -> np.ndarray:
    """Exact outcome probabilities (with gate noise when given), big-endian index."""
    if noise is not None and noise.has_gate_noise:
        probs = np.real(np.diag(density_matrix(circuit, noise)))
    else:
        probs = np.abs(statevector(circuit)) ** 2
    probs = np.clip(probs, 0.0, None)
    return probs / probs.sum()


@dataclass
class _NumpyCompiled:
    probs: np.ndarray

    def sample(self, shots: int, seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        return rng.choice(self.probs.size, size=shots, p=self.probs).astype(np.int64)


class NumpyBackend(Backend):
    """The numpy reference (statevector, or density matrix when noisy)."""

    name = "numpy"
    modules = ("numpy",)
    distribution = "numpy"

    def method(self, n_qubits: int, noise: NoiseSpec) -> str:
        return "density_matrix" if noise.has_gate_noise else "statevector"

    def compile(self, circuit: Circuit, noise: NoiseSpec) -> _NumpyCompiled:
        return _NumpyCompiled(ideal_probabilities(circuit, noise))

    def probabilities(self, circuit: Circuit) -> np.ndarray:
        return ideal_probabilities(circuit)
