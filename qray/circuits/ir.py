"""The backend-neutral circuit IR.

A circuit is a tuple of gates on ``n_qubits`` qubits, followed by a measurement of every
qubit. Every backend adapter translates this one IR, so "the same circuit on every backend"
holds by construction. Bit order: qubit 0 is the most significant (leftmost) bit of an
outcome, as in cirq; adapters of little-endian libraries (qiskit) convert.
"""

from __future__ import annotations

from dataclasses import dataclass

#: gate name -> (number of qubits, number of parameters, Clifford?)
GATES: dict[str, tuple[int, int, bool]] = {
    "h": (1, 0, True),
    "x": (1, 0, True),
    "y": (1, 0, True),
    "z": (1, 0, True),
    "s": (1, 0, True),
    "sdg": (1, 0, True),
    "t": (1, 0, False),
    "rx": (1, 1, False),
    "ry": (1, 1, False),
    "rz": (1, 1, False),
    "cx": (2, 0, True),
    "cz": (2, 0, True),
    "swap": (2, 0, True),
    "cp": (2, 1, False),
}


@dataclass(frozen=True)
class Gate:
    """One gate: its name, the qubits it acts on and its angle parameters (radians)."""

    name: str
    qubits: tuple[int, ...]
    params: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.name not in GATES:
            raise ValueError(f"unknown gate {self.name!r}; known: {sorted(GATES)}")
        arity, n_params, _ = GATES[self.name]
        if len(self.qubits) != arity or len(self.params) != n_params:
            raise ValueError(f"gate {self.name} takes {arity} qubits and {n_params} params")
        if arity == 2 and self.qubits[0] == self.qubits[1]:
            raise ValueError(f"gate {self.name} on a repeated qubit {self.qubits}")

    @property
    def is_clifford(self) -> bool:
        return GATES[self.name][2]


@dataclass(frozen=True)
class Circuit:
    """A measured circuit: gates on ``n_qubits`` qubits, all qubits measured at the end."""

    n_qubits: int
    gates: tuple[Gate, ...]
    family: str = "custom"

    def __post_init__(self) -> None:
        if self.n_qubits < 1:
            raise ValueError("a circuit needs at least one qubit")
        for g in self.gates:
            if max(g.qubits) >= self.n_qubits or min(g.qubits) < 0:
                raise ValueError(f"gate {g} outside 0..{self.n_qubits - 1}")

    @property
    def is_clifford(self) -> bool:
        """True when every gate is Clifford (stim can run it)."""
        return all(g.is_clifford for g in self.gates)

    @property
    def depth(self) -> int:
        """Circuit depth (layers of gates on disjoint qubits)."""
        frontier = [0] * self.n_qubits
        for g in self.gates:
            level = max(frontier[q] for q in g.qubits) + 1
            for q in g.qubits:
                frontier[q] = level
        return max(frontier, default=0)

    def count(self, arity: int) -> int:
        """Number of gates acting on ``arity`` qubits."""
        return sum(1 for g in self.gates if len(g.qubits) == arity)
