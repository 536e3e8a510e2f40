"""Backend-neutral circuits, circuit families, the noise spec and the conversion to Qiskit."""

from qray.circuits.families import DEPTH_FAMILIES, FAMILIES, make_circuit
from qray.circuits.ir import GATES, Circuit, Gate
from qray.circuits.noise import NOISELESS, NoiseSpec, aer_lambda
from qray.circuits.qiskit import to_qiskit

__all__ = [
    "DEPTH_FAMILIES",
    "FAMILIES",
    "GATES",
    "NOISELESS",
    "Circuit",
    "Gate",
    "NoiseSpec",
    "aer_lambda",
    "make_circuit",
    "to_qiskit",
]
