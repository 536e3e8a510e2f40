"""Qubit routing: a qgym-compatible ``Routing`` env (correct and fast), the Qiskit bridge,
the verifier, classical baselines (lookahead, SABRE) and the ``routing`` sweep workload."""

import gymnasium

from qray.routing.env import Routing
from qray.routing.generators import (
    BasicInteractionGenerator,
    CircuitInteractionGenerator,
    NullInteractionGenerator,
)
from qray.routing.rewarders import BasicRewarder, EpisodeRewarder, SwapQualityRewarder

#: the Gymnasium id: ``gymnasium.make("qray/Routing-v0", connection_graph=(5, 5))``
ENV_ID = "qray/Routing-v0"
if ENV_ID not in gymnasium.registry:
    gymnasium.register(id=ENV_ID, entry_point="qray.routing.env:Routing")

__all__ = [
    "ENV_ID",
    "BasicInteractionGenerator",
    "BasicRewarder",
    "CircuitInteractionGenerator",
    "EpisodeRewarder",
    "NullInteractionGenerator",
    "Routing",
    "SwapQualityRewarder",
]
