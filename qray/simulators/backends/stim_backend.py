"""stim backend: Clifford circuits only, Pauli-frame sampling with DEPOLARIZE1/2 noise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec
from qray.simulators.backends.base import Backend, bits_to_ints

_STIM_NAMES = {
    "h": "H", "x": "X", "y": "Y", "z": "Z", "s": "S", "sdg": "S_DAG",
    "cx": "CX", "cz": "CZ", "swap": "SWAP",
}


def to_stim(circuit: Circuit, noise: NoiseSpec | None = None, *, measure: bool = True) -> Any:
    """The IR as a ``stim.Circuit``; raises KeyError on a non-Clifford gate."""
    import stim

    out = stim.Circuit()
    for g in circuit.gates:
        out.append(_STIM_NAMES[g.name], list(g.qubits))
        if noise is not None:
            if len(g.qubits) == 1 and noise.p1 > 0:
                out.append("DEPOLARIZE1", list(g.qubits), noise.p1)
            elif len(g.qubits) == 2 and noise.p2 > 0:
                out.append("DEPOLARIZE2", list(g.qubits), noise.p2)
    if measure:
        out.append("M", list(range(circuit.n_qubits)))
    return out


@dataclass
class _StimCompiled:
    circuit: Any

    def sample(self, shots: int, seed: int) -> np.ndarray:
        sampler = self.circuit.compile_sampler(seed=seed % (2**63))
        return bits_to_ints(sampler.sample(shots))


class StimBackend(Backend):
    """Gidney's stim (stabilizer tableau / Pauli frames)."""

    name = "stim"
    modules = ("stim",)
    distribution = "stim"
    clifford_only = True

    def method(self, n_qubits: int, noise: NoiseSpec) -> str:
        return "stabilizer"

    def compile(self, circuit: Circuit, noise: NoiseSpec) -> _StimCompiled:
        self.check(circuit, noise)
        return _StimCompiled(to_stim(circuit, noise))

    def probabilities(self, circuit: Circuit) -> np.ndarray:
        import stim

        self.check(circuit, NoiseSpec())
        sim = stim.TableauSimulator()
        sim.set_num_qubits(circuit.n_qubits)
        sim.do(to_stim(circuit, measure=False))
        state = sim.state_vector(endian="big")
        probs = np.abs(state.astype(np.complex128)) ** 2
        return probs / probs.sum()
