"""Name -> implementation registries of the netsim components (imported lazily).

Each component kind (physics model, scenario, allocator, learner) maps a name to
``"module:Class"``; every class carries a ``Params`` dataclass whose fields are the
component's config keys (``models.paper2.reward``, ``learner_params.UCB1.c``, ...).
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Mapping
from functools import cache
from typing import Any

from qray.config import build
from qray.errors import ConfigError, UnknownNameError

PHYSICS: dict[str, str] = {
    "default": "qray.netsim.physics.default:DefaultTestbed",
    "paper2": "qray.netsim.physics.paper2:Paper2Testbed",
    "paper2_port": "qray.netsim.physics.paper2_port:Paper2PortTestbed",
    "paper7": "qray.netsim.physics.paper7:Paper7Testbed",
    "paper8": "qray.netsim.physics.paper8:Paper8Testbed",
    "paper12": "qray.netsim.physics.paper12:Paper12Testbed",
}

SCENARIOS: dict[str, str] = {
    "none": "qray.netsim.scenarios.none:NoAttack",
    "stochastic": "qray.netsim.scenarios.stochastic:Stochastic",
    "markov": "qray.netsim.scenarios.markov:Markov",
    "adaptive": "qray.netsim.scenarios.adaptive:Adaptive",
    "onlineadaptive": "qray.netsim.scenarios.onlineadaptive:OnlineAdaptive",
    "huang_markov": "qray.netsim.scenarios.huang:HuangMarkov",
    "huang_adaptive": "qray.netsim.scenarios.huang:HuangAdaptive",
}

ALLOCATORS: dict[str, str] = {
    "Default": "qray.netsim.allocators.default:DefaultAllocator",
    "Random": "qray.netsim.allocators.random:RandomAllocator",
    "Dynamic": "qray.netsim.allocators.dynamic:DynamicAllocator",
    "ThompsonSampling": "qray.netsim.allocators.thompson:ThompsonAllocator",
}

LEARNERS: dict[str, str] = {
    "Oracle": "qray.netsim.learners.oracle:Oracle",
    "Random": "qray.netsim.learners.random:RandomLearner",
    "EpsilonGreedy": "qray.netsim.learners.epsilon_greedy:EpsilonGreedy",
    "UCB1": "qray.netsim.learners.ucb1:UCB1",
    "UCBPaper2": "qray.netsim.learners.ucb_paper2:UCBPaper2",
    "ThompsonSampling": "qray.netsim.learners.thompson:ThompsonSampling",
    "EXP3": "qray.netsim.learners.exp3:EXP3",
    "LinUCB": "qray.netsim.learners.linucb:LinUCB",
    "EXPUCB": "qray.netsim.learners.expucb:EXPUCB",
    "GNeuralUCB": "qray.netsim.learners.gneuralucb:GNeuralUCB",
    "EXPNeuralUCB": "qray.netsim.learners.expneuralucb:EXPNeuralUCB",
}

#: most values of one list-valued component parameter (a grid axis)
MAX_GRID_VALUES = 1000

KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "physics": ("physics model", PHYSICS),
    "scenarios": ("scenario", SCENARIOS),
    "allocators": ("allocator", ALLOCATORS),
    "learners": ("learner", LEARNERS),
}


@cache
def load(kind: str, name: str) -> Any:
    """The class registered as ``name`` under ``kind`` (``physics``, ``scenarios``, ...)."""
    label, table = KINDS[kind]
    if name not in table:
        raise UnknownNameError(kind, name, label, table)
    module, _, attr = table[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def param_grid(kind: str, name: str, raw: Mapping[str, Any] | None, *,
               key: str) -> list[dict[str, Any]]:
    """The parameter sets of a component: one, or the product of the lists given for the
    keys its ``Params.GRID`` names (``learner_params.UCBPaper2.gamma: [0.5, 1, 2]``)."""
    raw = dict(raw or {})
    grid = getattr(load(kind, name).Params, "GRID", ())
    axes = [k for k in grid if isinstance(raw.get(k), list)]
    for k in axes:
        if not 1 <= len(raw[k]) <= MAX_GRID_VALUES:
            raise ConfigError(f"{key}.{k}", raw[k],
                              f"a value or a list of 1..{MAX_GRID_VALUES:,} values")
    return [{**raw, **dict(zip(axes, combo, strict=True))}
            for combo in itertools.product(*(raw[k] for k in axes))]


def make_params(kind: str, name: str, raw: Mapping[str, Any] | None, *, key: str) -> Any:
    """Validate ``raw`` into the component's ``Params`` dataclass (errors name ``key``)."""
    cls = load(kind, name)
    return build(cls.Params, dict(raw or {}), prefix=f"{key}.")
