"""qsim backend (qsimcirq): fused-gate statevector, noise by quantum trajectories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec
from qray.simulators.backends.base import Backend, bits_to_ints
from qray.simulators.backends.cirq_backend import to_cirq
from qray.simulators.options import Option


@dataclass
class _QsimCompiled:
    circuit: Any
    threads: int
    fused: int

    def sample(self, shots: int, seed: int) -> np.ndarray:
        import qsimcirq

        options = qsimcirq.QSimOptions(cpu_threads=self.threads, max_fused_gate_size=self.fused)
        sim = qsimcirq.QSimSimulator(qsim_options=options, seed=seed % (2**31))
        result = sim.run(self.circuit, repetitions=shots)
        return bits_to_ints(result.measurements["m"])


class QsimBackend(Backend):
    """Google's qsim through qsimcirq."""

    name = "qsim"
    modules = ("qsimcirq",)
    distribution = "qsimcirq"
    OPTIONS = {"max_fused_gate_size": Option(
        3, low=1, high=6, doc="qsim gate fusion: the largest fused gate, in qubits")}

    def method(self, n_qubits: int, noise: NoiseSpec) -> str:
        return "statevector64"

    def set_threads(self, threads: int) -> dict[str, object]:
        super().set_threads(threads)
        return {"cpu_threads": self.threads}

    def compile(self, circuit: Circuit, noise: NoiseSpec) -> _QsimCompiled:
        return _QsimCompiled(to_cirq(circuit, noise), self.threads,
                             self.options["max_fused_gate_size"])

    def probabilities(self, circuit: Circuit) -> np.ndarray:
        import cirq
        import qsimcirq

        options = qsimcirq.QSimOptions(cpu_threads=self.threads,
                                       max_fused_gate_size=self.options["max_fused_gate_size"])
        state = qsimcirq.QSimSimulator(qsim_options=options).simulate(
            to_cirq(circuit, measure=False),
            qubit_order=cirq.LineQubit.range(circuit.n_qubits),
        ).final_state_vector
        probs = np.abs(state.astype(np.complex128)) ** 2
        return probs / probs.sum()
