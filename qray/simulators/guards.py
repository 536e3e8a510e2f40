"""Guards that refuse impossible runs before any compute is spent."""

from __future__ import annotations

from qray.circuits.noise import NoiseSpec
from qray.errors import MemoryGuardError
from qray.lifecycle import machine_memory_bytes
from qray.simulators.backends.base import Backend


def format_bytes(n: float) -> str:
    """``17179869184`` -> ``'16.0 GiB'``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def check_memory(backend: Backend, n_qubits: int, noise: NoiseSpec, budget_mb: float) -> int:
    """Return the estimate in bytes, or raise MemoryGuardError naming it and the limit: the
    budget, or this machine's memory when the budget is larger than what the machine has
    (an absurd budget never lets a run allocate past physical memory)."""
    need = backend.memory_bytes(n_qubits, noise)
    budget = budget_mb * 2**20
    machine = machine_memory_bytes()
    if need > min(budget, machine):
        method = backend.method(n_qubits, noise)
        formula = {
            "density_matrix": f"density matrix 4^{n_qubits} x 16 B",
            "density_matrix64": f"density matrix 4^{n_qubits} x 8 B",
            "matrix_product_state": f"matrix product state, worst case 2^{n_qubits} x 16 B",
            "statevector": f"statevector 2^{n_qubits} x 16 B",
            "statevector64": f"statevector 2^{n_qubits} x 8 B",
        }.get(method, method)
        head = (f"n_qubits={n_qubits} on backend {backend.name!r} needs {format_bytes(need)} "
                f"({formula})")
        if need > budget:
            raise MemoryGuardError(
                f"{head} > memory budget {format_bytes(budget)} "
                f"(actor.memory_budget_mb={budget_mb:g}); lower n_qubits or raise the budget"
            )
        raise MemoryGuardError(
            f"{head} > this machine's memory {format_bytes(machine)} (actor.memory_budget_mb="
            f"{budget_mb:g} is more than the machine has); lower n_qubits"
        )
    return need
