"""Qubit routing: a qgym-compatible ``Routing`` env (correct and fast), the Qiskit bridge,
the verifier, classical baselines (lookahead, SABRE) and the ``routing`` sweep workload."""

import gymnasium

from qray.routing.qgym.env import Routing
from qray.routing.qgym.generators import (
    BasicInteractionGenerator,
    CircuitInteractionGenerator,
    InteractionGenerator,
    NullInteractionGenerator,
)
from qray.routing.qgym.rewarders import BasicRewarder, EpisodeRewarder, SwapQualityRewarder

#: the Gymnasium id: ``gymnasium.make("qray/Routing-v0", connection_graph=(5, 5))``
ENV_ID = "qray/Routing-v0"
if ENV_ID not in gymnasium.registry:
    gymnasium.register(id=ENV_ID, entry_point="qray.routing.qgym.env:Routing")

__all__ = [
    "ENV_ID",
    "BasicInteractionGenerator",
    "BasicRewarder",
    "CircuitInteractionGenerator",
    "EpisodeRewarder",
    "InteractionGenerator",
    "NullInteractionGenerator",
    "Routing",
    "SwapQualityRewarder",
]
