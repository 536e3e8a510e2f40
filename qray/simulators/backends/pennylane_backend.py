"""PennyLane backends: default.qubit, lightning.qubit, default.mixed (noise), lightning.gpu."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from qray.circuits.ir import Circuit
from qray.circuits.matrices import PAULIS
from qray.circuits.noise import NoiseSpec
from qray.simulators.backends.base import Backend, bits_to_ints
from qray.simulators.options import PRECISION

_FIXED = {
    "h": "Hadamard", "x": "PauliX", "y": "PauliY", "z": "PauliZ", "s": "S", "t": "T",
    "cx": "CNOT", "cz": "CZ", "swap": "SWAP",
}
_PARAM = {"rx": "RX", "ry": "RY", "rz": "RZ", "cp": "ControlledPhaseShift"}


def two_qubit_depolarizing_kraus(p: float) -> list[np.ndarray]:
    """Kraus operators of the two-qubit depolarizing channel (each of 15 Paulis p/15)."""
    ops = []
    for a, b in itertools.product(range(4), repeat=2):
        weight = 1 - p if (a, b) == (0, 0) else p / 15
        ops.append(np.sqrt(weight) * np.kron(PAULIS[a], PAULIS[b]))
    return ops


def apply_ops(circuit: Circuit, noise: NoiseSpec | None) -> None:
    """Queue the IR's gates (and noise channels) inside a PennyLane QNode."""
    import pennylane as qml

    kraus2 = two_qubit_depolarizing_kraus(noise.p2) if noise and noise.p2 > 0 else None
    for g in circuit.gates:
        wires = list(g.qubits)
        if g.name == "sdg":
            qml.adjoint(qml.S(wires=wires[0]))
        elif g.name in _FIXED:
            getattr(qml, _FIXED[g.name])(wires=wires)
        else:
            getattr(qml, _PARAM[g.name])(g.params[0], wires=wires)
        if noise is not None and noise.has_gate_noise:
            if len(wires) == 1 and noise.p1 > 0:
                qml.DepolarizingChannel(noise.p1, wires=wires[0])
            elif len(wires) == 2 and kraus2 is not None:
                qml.QubitChannel(kraus2, wires=wires)


@dataclass
class _PennyLaneCompiled:
    device_name: str
    circuit: Circuit
    noise: NoiseSpec
    device_kwargs: dict

    def sample(self, shots: int, seed: int) -> np.ndarray:
        import pennylane as qml

        n = self.circuit.n_qubits
        dev = qml.device(self.device_name, wires=n, seed=seed % (2**32), **self.device_kwargs)

        @qml.qnode(dev)
        def run() -> Any:
            apply_ops(self.circuit, self.noise)
            return qml.sample(wires=range(n))

        bits = np.asarray(qml.set_shots(run, shots=shots)())
        return bits_to_ints(bits.reshape(shots, n))


class PennyLaneBackend(Backend):
    """A PennyLane device behind the common contract."""

    modules = ("pennylane",)
    distribution = "pennylane"

    def __init__(
        self,
        name: str,
        *,
        device: str,
        noise: bool = False,
        modules: tuple[str, ...] = ("pennylane",),
        distribution: str = "pennylane",
        gpu: bool = False,
    ) -> None:
        self.name = name
        self.device_name = device
        if device.startswith("lightning."):
            self.OPTIONS = {"precision": PRECISION}
        super().__init__()
        self.supports_noise = noise
        self.modules = modules
        self.distribution = distribution
        self.gpu = gpu
        self.density_only = device == "default.mixed"

    def method(self, n_qubits: int, noise: NoiseSpec) -> str:
        if self.device_name == "default.mixed":
            return "density_matrix"
        return "statevector64" if self.options.get("precision") == "single" else "statevector"

    def _device_kwargs(self) -> dict:
        kwargs: dict[str, Any] = {}
        if self.device_name == "lightning.qubit":
            kwargs["batch_obs"] = False
        if "precision" in self.options:
            kwargs["c_dtype"] = (np.complex64 if self.options["precision"] == "single"
                                 else np.complex128)
        return kwargs

    def set_threads(self, threads: int) -> dict[str, object]:
        super().set_threads(threads)
        # lightning reads OMP_NUM_THREADS at import; the actor sets it in its environment.
        return {"OMP_NUM_THREADS": self.threads}

    def compile(self, circuit: Circuit, noise: NoiseSpec) -> _PennyLaneCompiled:
        return _PennyLaneCompiled(self.device_name, circuit, noise, self._device_kwargs())

    def probabilities(self, circuit: Circuit) -> np.ndarray:
        import pennylane as qml

        n = circuit.n_qubits
        dev = qml.device(self.device_name, wires=n, **self._device_kwargs())

        @qml.qnode(dev)
        def run() -> Any:
            apply_ops(circuit, None)
            return qml.probs(wires=range(n))

        probs = np.asarray(run(), dtype=float)
        return probs / probs.sum()
