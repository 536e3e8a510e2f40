"""Qiskit Aer backends (automatic method, density matrix, GPU statevector)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec, aer_lambda
from qray.circuits.qiskit import to_qiskit
from qray.simulators.backends.base import Backend, reverse_bit_order, reverse_int_bits
from qray.simulators.options import PRECISION, Option

#: the methods of ``AerSimulator`` a config may choose (``backend_options.qiskit-aer.method``)
AER_METHODS = ("automatic", "statevector", "matrix_product_state", "density_matrix")

ONE_QUBIT = ["h", "x", "y", "z", "s", "sdg", "t", "rx", "ry", "rz"]
TWO_QUBIT = ["cx", "cz", "swap", "cp"]


def aer_noise_model(noise: NoiseSpec) -> Any:
    """Aer NoiseModel equivalent to qray's depolarizing noise (lambda = 4p/3, 16p/15)."""
    from qiskit_aer.noise import NoiseModel, depolarizing_error

    model = NoiseModel()
    if noise.p1 > 0:
        model.add_all_qubit_quantum_error(depolarizing_error(aer_lambda(noise.p1, 1), 1), ONE_QUBIT)
    if noise.p2 > 0:
        model.add_all_qubit_quantum_error(depolarizing_error(aer_lambda(noise.p2, 2), 2), TWO_QUBIT)
    return model


@dataclass
class _AerCompiled:
    simulator: Any
    qc: Any
    n: int

    def sample(self, shots: int, seed: int) -> np.ndarray:
        result = self.simulator.run(self.qc, shots=shots, seed_simulator=seed).result()
        counts = result.get_counts()
        keys = np.array([int(k, 2) for k in counts], dtype=np.int64)
        values = np.array(list(counts.values()), dtype=np.int64)
        return np.repeat(reverse_int_bits(keys, self.n), values)


class AerBackend(Backend):
    """qiskit-aer's ``AerSimulator`` with a fixed method and device."""

    modules = ("qiskit_aer",)
    distribution = "qiskit-aer"

    def __init__(self, name: str, *, aer_method: str = "automatic", device: str = "CPU") -> None:
        self.name = name
        self.device = device
        self.gpu = device == "GPU"
        self.density_only = aer_method == "density_matrix"
        self.OPTIONS = {"precision": PRECISION}
        if aer_method == "automatic":  # the fixed-method variants keep theirs
            self.OPTIONS["method"] = Option(
                "automatic", AER_METHODS,
                doc="AerSimulator method (automatic picks per circuit and noise)")
        self._fixed_method = aer_method
        super().__init__()

    @property
    def aer_method(self) -> str:
        """The ``AerSimulator`` method in use (the variant's own, or the configured one)."""
        return self.options.get("method", self._fixed_method)

    def unavailable_reason(self) -> str | None:
        reason = super().unavailable_reason()
        if reason is None and self.gpu:
            from qiskit_aer import AerSimulator

            if "GPU" not in AerSimulator().available_devices():
                return "qiskit-aer has no GPU device (install qiskit-aer-gpu)"
        return reason

    def method(self, n_qubits: int, noise: NoiseSpec) -> str:
        if self.aer_method in ("density_matrix", "matrix_product_state"):
            return self.aer_method
        return "statevector64" if self.options["precision"] == "single" else "statevector"

    def memory_bytes(self, n_qubits: int, noise: NoiseSpec) -> int:
        if self.aer_method == "density_matrix" and self.options["precision"] == "single":
            return 4**n_qubits * 8
        if self.aer_method == "matrix_product_state":
            # bond dimension up to 2^(n/2) in the worst case: no smaller than a statevector
            return 2**n_qubits * (8 if self.options["precision"] == "single" else 16)
        return super().memory_bytes(n_qubits, noise)

    def _simulator(self, noise: NoiseSpec | None = None, method: str | None = None) -> Any:
        from qiskit_aer import AerSimulator

        kwargs: dict[str, Any] = {
            "method": method or self.aer_method,
            "device": self.device,
            "max_parallel_threads": self.threads,
            "precision": self.options["precision"],
        }
        if noise is not None and noise.has_gate_noise:
            kwargs["noise_model"] = aer_noise_model(noise)
        return AerSimulator(**kwargs)

    def set_threads(self, threads: int) -> dict[str, object]:
        super().set_threads(threads)
        return {"max_parallel_threads": self.threads}

    def compile(self, circuit: Circuit, noise: NoiseSpec) -> _AerCompiled:
        return _AerCompiled(self._simulator(noise), to_qiskit(circuit), circuit.n_qubits)

    def probabilities(self, circuit: Circuit) -> np.ndarray:
        import qiskit_aer  # noqa: F401  (adds QuantumCircuit.save_probabilities)

        qc = to_qiskit(circuit, measure=False)
        qc.save_probabilities()
        method = self.aer_method if self.aer_method != "automatic" else "statevector"
        data = self._simulator(method=method).run(qc).result().data()
        return reverse_bit_order(np.asarray(data["probabilities"]), circuit.n_qubits)
