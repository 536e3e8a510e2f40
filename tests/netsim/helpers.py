"""Helpers of the netsim tests."""

from __future__ import annotations

from typing import Any

from qray.netsim.physics.base import Testbed
from qray.netsim.runner import Experiment, Result, run
from qray.netsim.worker import build_testbed


def make_testbed(model: str, seed: int = 0, **params: Any) -> Testbed:
    return build_testbed(model, params, seed)


def play(model: str, learner: str, *, scenario: str = "none", allocator: str = "Default",
         horizon: int = 2000, epoch: int = 500, seed: int = 1, tb: Testbed | None = None,
         **exp: Any) -> Result:
    tb = tb or make_testbed(model)
    return run(tb, Experiment(allocator, scenario, learner, horizon, epoch, seed, **exp))
