"""The noise spec and its conversions between library conventions.

qray's ``p`` is the probability that a non-identity Pauli is applied after a gate (each of
the 3 one-qubit Paulis with p/3, each of the 15 two-qubit ones with p/15): the cirq and stim
convention, and PennyLane's ``DepolarizingChannel``. Qiskit Aer's ``depolarizing_error(lam)``
mixes with the maximally mixed state instead, which includes the identity; the same channel
needs ``lam = 4p/3`` on one qubit and ``16p/15`` on two.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoiseSpec:
    """Depolarizing noise after every gate plus an optional readout bit flip.

    Attributes:
        p1: non-identity Pauli probability after each one-qubit gate.
        p2: non-identity Pauli probability after each two-qubit gate.
        readout: probability that each measured bit is flipped.
    """

    p1: float = 0.0
    p2: float = 0.0
    readout: float = 0.0

    def __post_init__(self) -> None:
        for name in ("p1", "p2", "readout"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"noise {name}={v} outside [0, 1]")

    @classmethod
    def depolarizing(cls, p: float, *, p2: float | None = None, readout: float = 0.0) -> NoiseSpec:
        """``p`` on one-qubit gates and ``p2`` (default ``p``) on two-qubit gates."""
        return cls(p1=p, p2=p if p2 is None else p2, readout=readout)

    @property
    def is_noiseless(self) -> bool:
        return self.p1 == 0.0 and self.p2 == 0.0 and self.readout == 0.0

    @property
    def has_gate_noise(self) -> bool:
        return self.p1 > 0.0 or self.p2 > 0.0


NOISELESS = NoiseSpec()


def aer_lambda(p: float, n_qubits: int) -> float:
    """Aer ``depolarizing_error`` parameter for qray's ``p`` on ``n_qubits`` qubits."""
    d2 = 4**n_qubits
    return p * d2 / (d2 - 1)
