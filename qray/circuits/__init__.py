"""Backend-neutral circuits, circuit families and the noise spec."""

from qray.circuits.families import DEPTH_FAMILIES, FAMILIES, make_circuit
from qray.circuits.ir import GATES, Circuit, Gate
from qray.circuits.noise import NOISELESS, NoiseSpec, aer_lambda

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
]
