"""cirq backend: ``cirq.Simulator`` noiseless, ``cirq.DensityMatrixSimulator`` with noise."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec
from qray.simulators.backends.base import Backend
from qray.simulators.options import PRECISION, Option


def to_cirq(circuit: Circuit, noise: NoiseSpec | None = None, *, measure: bool = True) -> Any:
    """The IR as a ``cirq.Circuit`` on LineQubits, depolarizing noise after each gate."""
    import cirq

    q = cirq.LineQubit.range(circuit.n_qubits)
    fixed = {
        "h": cirq.H, "x": cirq.X, "y": cirq.Y, "z": cirq.Z, "s": cirq.S,
        "sdg": cirq.S**-1, "t": cirq.T, "cx": cirq.CNOT, "cz": cirq.CZ, "swap": cirq.SWAP,
    }
    ops: list[Any] = []
    for g in circuit.gates:
        targets = [q[i] for i in g.qubits]
        if g.name in fixed:
            ops.append(fixed[g.name](*targets))
        elif g.name in ("rx", "ry", "rz"):
            ops.append(getattr(cirq, g.name)(g.params[0])(*targets))
        elif g.name == "cp":
            ops.append(cirq.CZPowGate(exponent=g.params[0] / math.pi)(*targets))
        else:  # pragma: no cover - GATES and this table are kept in step
            raise ValueError(f"no cirq translation for {g.name}")
        if noise is not None:
            p = noise.p1 if len(targets) == 1 else noise.p2
            if p > 0:
                ops.append(cirq.depolarize(p, n_qubits=len(targets)).on(*targets))
    # one moment per operation keeps the noise attached to its gate
    out = cirq.Circuit(ops, strategy=cirq.InsertStrategy.EARLIEST)
    if measure:
        out.append(cirq.measure(*q, key="m"))
    return out


@dataclass
class _CirqCompiled:
    circuit: Any
    noisy: bool
    dtype: Any = np.complex64

    def sample(self, shots: int, seed: int) -> np.ndarray:
        import cirq

        sim_cls = cirq.DensityMatrixSimulator if self.noisy else cirq.Simulator
        result = sim_cls(dtype=self.dtype, seed=seed % (2**32)).run(self.circuit,
                                                                    repetitions=shots)
        from qray.simulators.backends.base import bits_to_ints

        return bits_to_ints(result.measurements["m"])


class CirqBackend(Backend):
    """cirq's own simulators."""

    name = "cirq"
    modules = ("cirq",)
    distribution = "cirq-core"
    #: cirq's simulators default to complex64: ``single`` is cirq's own default
    OPTIONS = {"precision": Option(
        "single", PRECISION.choices, doc="amplitude precision: single (complex64, cirq's "
        "default) or double (complex128)")}

    def method(self, n_qubits: int, noise: NoiseSpec) -> str:
        single = self.options["precision"] == "single"
        if noise.has_gate_noise:
            return "density_matrix64" if single else "density_matrix"
        return "statevector64" if single else "statevector"

    def memory_bytes(self, n_qubits: int, noise: NoiseSpec) -> int:
        if self.method(n_qubits, noise) == "density_matrix64":
            return 4**n_qubits * 8
        return super().memory_bytes(n_qubits, noise)

    def compile(self, circuit: Circuit, noise: NoiseSpec) -> _CirqCompiled:
        dtype = np.complex64 if self.options["precision"] == "single" else np.complex128
        return _CirqCompiled(to_cirq(circuit, noise), noise.has_gate_noise, dtype)

    def probabilities(self, circuit: Circuit) -> np.ndarray:
        import cirq

        state = cirq.Simulator(dtype=np.complex128).simulate(
            to_cirq(circuit, measure=False),
            qubit_order=cirq.LineQubit.range(circuit.n_qubits),
        ).final_state_vector
        probs = np.abs(state) ** 2
        return probs / probs.sum()
