"""What a router returns (``RoutedCircuit``) and how routing fails: shared by the bridge
and every router, so no router imports the bridge."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class RoutingFailedError(RuntimeError):
    """A step policy hit the env's step cap before surpassing every gate."""


class UnverifiedRoutingError(RoutingFailedError):
    """A router returned a circuit that fails verification (``qray.routing.circuits.verify``):
    ``route`` raises it instead of returning the circuit."""

    def __init__(self, message: str, result: RoutedCircuit | None = None,
                 problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.result = result
        self.problems = list(problems or [])


@dataclass
class RoutedCircuit:
    """A routed circuit on the physical qubits and where each logical qubit ends up."""

    circuit: Any  # QuantumCircuit on num_nodes physical qubits
    initial_layout: list[int]  # logical i -> physical
    final_layout: list[int]  # logical i -> physical after the last SWAP
    swaps: int
    seconds: float
    router: str
    steps: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
