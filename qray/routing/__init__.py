"""Qubit routing: a qgym-compatible ``Routing`` env (correct and fast), the Qiskit bridge,
the verifier, classical baselines (lookahead, SABRE) and the ``routing`` sweep workload."""

from qray.routing.env import Routing
from qray.routing.generators import (
    BasicInteractionGenerator,
    CircuitInteractionGenerator,
    NullInteractionGenerator,
)
from qray.routing.rewarders import BasicRewarder, EpisodeRewarder, SwapQualityRewarder

__all__ = [
    "BasicInteractionGenerator",
    "BasicRewarder",
    "CircuitInteractionGenerator",
    "EpisodeRewarder",
    "NullInteractionGenerator",
    "Routing",
    "SwapQualityRewarder",
]
