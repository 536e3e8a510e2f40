"""The simulator backend contract.

A backend validates a (circuit, noise) pair before spending compute (``check`` and
``memory_bytes``), compiles it once into a native object (``compile``: build, transpile,
attach noise) and then samples from that object (``Compiled.sample``). ``probabilities``
returns the exact noiseless distribution, used by the conformance checks and the
cross-backend agreement table. Outcomes are integers with qubit 0 as the most significant
bit. Library imports happen inside methods, so listing backends imports nothing heavy.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np

from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec
from qray.errors import UnsupportedError
from qray.lifecycle import has_nvidia_gpu
from qray.simulators.options import Option, resolve_options

COMPLEX128 = 16
COMPLEX64 = 8


class Compiled(Protocol):
    """A circuit compiled for one backend, ready to sample."""

    def sample(self, shots: int, seed: int) -> np.ndarray:
        """``shots`` outcomes as integers (qubit 0 = most significant bit)."""
        ...


class Backend(ABC):
    """One simulator behind the common contract.

    Attributes:
        name: registry name (``qiskit-aer``, ``cirq``, ...).
        modules: Python modules the backend needs (checked without importing them).
        distribution: package whose version the rows record.
        supports_noise: can apply qray's depolarizing noise natively.
        clifford_only: refuses non-Clifford circuits (stim).
        gpu: needs an NVIDIA GPU.
        density_only: always simulates the density matrix (4^n memory and time); left out
            of ``installed`` for noiseless grids, where its statevector sibling covers it.
        OPTIONS: the options it accepts under ``backend_options.<name>`` (validated, with
            defaults; part of every task's measurement identity).
    """

    name: str = ""
    modules: tuple[str, ...] = ()
    distribution: str = ""
    supports_noise: bool = True
    clifford_only: bool = False
    gpu: bool = False
    density_only: bool = False
    OPTIONS: Mapping[str, Option] = {}

    def __init__(self) -> None:
        self.threads = 1
        self.options: dict[str, Any] = resolve_options(self.OPTIONS, None, "backend_options")

    def configure(self, options: Mapping[str, Any] | None, *,
                  key: str = "backend_options") -> dict[str, Any]:
        """Use ``options`` (checked against :attr:`OPTIONS`, defaults filled in) from now
        on; returns them. A ConfigError names ``<key>.<name>.<option>`` when one is wrong."""
        self.options = resolve_options(self.OPTIONS, options, f"{key}.{self.name}")
        return self.options

    # -- availability ------------------------------------------------------------------
    def unavailable_reason(self) -> str | None:
        """Why this backend cannot run here, or None when it can (imports nothing)."""
        for module in self.modules:
            if importlib.util.find_spec(module.split(".")[0]) is None:
                return f"python module {module!r} is not installed"
            if "." in module and _find_submodule(module) is None:
                return f"python module {module!r} is not installed"
        if self.gpu and not has_nvidia_gpu():
            return "needs an NVIDIA GPU; none found on this machine"
        return None

    def version(self) -> str:
        """Version of the backend's library (from package metadata)."""
        try:
            return importlib.metadata.version(self.distribution)
        except importlib.metadata.PackageNotFoundError:
            return "unknown"

    def set_threads(self, threads: int) -> dict[str, object]:
        """Use ``threads`` library threads from now on; returns the settings applied."""
        self.threads = max(1, int(threads))
        return {"threads": self.threads}

    # -- guards ------------------------------------------------------------------------
    def check(self, circuit: Circuit, noise: NoiseSpec) -> None:
        """Raise UnsupportedError when this backend cannot run ``circuit`` with ``noise``."""
        if self.clifford_only and not circuit.is_clifford:
            bad = sorted({g.name for g in circuit.gates if not g.is_clifford})
            raise UnsupportedError(
                f"backend {self.name!r} runs Clifford circuits only (h, s, sdg, x, y, z, cx, "
                f"cz, swap); circuit {circuit.family!r} uses non-Clifford gates {bad}"
            )
        if noise.has_gate_noise and not self.supports_noise:
            raise UnsupportedError(
                f"backend {self.name!r} cannot apply depolarizing noise (noise={noise.p1}); "
                "use a noise-capable backend (qiskit-aer, cirq, qsim, stim, "
                "pennylane-default-mixed, numpy)"
            )

    def method(self, n_qubits: int, noise: NoiseSpec) -> str:
        """Simulation method used for this size and noise (for the memory estimate)."""
        return "statevector"

    def memory_bytes(self, n_qubits: int, noise: NoiseSpec) -> int:
        """Estimated simulator memory of one run."""
        method = self.method(n_qubits, noise)
        if method == "density_matrix":
            return 4**n_qubits * COMPLEX128
        if method == "stabilizer":
            return 4 * n_qubits * n_qubits + 1024
        if method == "statevector64":
            return 2**n_qubits * COMPLEX64
        return 2**n_qubits * COMPLEX128

    # -- running -----------------------------------------------------------------------
    @abstractmethod
    def compile(self, circuit: Circuit, noise: NoiseSpec) -> Compiled:
        """Translate ``circuit`` (with ``noise``) into the library's native object."""

    @abstractmethod
    def probabilities(self, circuit: Circuit) -> np.ndarray:
        """Exact noiseless outcome probabilities, length 2**n, big-endian index."""


def bits_to_ints(bits: np.ndarray) -> np.ndarray:
    """Rows of bits (qubit 0 first) to integers (qubit 0 = most significant bit)."""
    bits = np.asarray(bits, dtype=np.uint64)
    n = bits.shape[1]
    weights = np.left_shift(np.uint64(1), np.arange(n - 1, -1, -1, dtype=np.uint64))
    return (bits * weights).sum(axis=1).astype(np.int64)


def reverse_bit_order(probs: np.ndarray, n_qubits: int) -> np.ndarray:
    """Reindex a little-endian probability vector to big-endian (and back)."""
    return np.asarray(probs).reshape((2,) * n_qubits).transpose(range(n_qubits - 1, -1, -1)).ravel()


def reverse_int_bits(values: np.ndarray, n_qubits: int) -> np.ndarray:
    """Reverse the lowest ``n_qubits`` bits of each integer."""
    values = np.asarray(values, dtype=np.int64)
    out = np.zeros_like(values)
    for q in range(n_qubits):
        out |= ((values >> q) & 1) << (n_qubits - 1 - q)
    return out


def _find_submodule(module: str) -> object | None:
    try:
        return importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
