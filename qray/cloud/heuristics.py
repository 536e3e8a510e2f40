"""Heuristic schedulers: RoundRobin, Random, Greedy, GreedyError, FeasibleGreedy.

A scheduler sees the env's observation and its raw ``CloudView``; ``reset(seed)`` starts an
episode. "Available" is when a node frees, or when it last handled a submission if that is
later (``CloudView.available``), so a greedy scheduler that was refused by a small node tries
the next one instead of the same one forever. Ties go to the lowest node index (after the error for GreedyError), so every
heuristic is deterministic given the episode's seed.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from qray.errors import UnknownNameError


class Scheduler(Protocol):
    name: str

    def reset(self, seed: int) -> None: ...

    def act(self, obs: Any, view: Any) -> int: ...


class RoundRobin:
    """Nodes in turn, whatever the task (a too-small node means a reschedule)."""

    name = "RoundRobin"

    def __init__(self) -> None:
        self.reset(0)

    def reset(self, seed: int) -> None:
        self.next = 0

    def act(self, obs: Any, view: Any) -> int:
        a = self.next % len(view.wait)
        self.next += 1
        return a


class RandomScheduler:
    """A uniformly random node (seeded per episode)."""

    name = "Random"

    def __init__(self) -> None:
        self.reset(0)

    def reset(self, seed: int) -> None:
        self.rng = np.random.default_rng([seed, 17])

    def act(self, obs: Any, view: Any) -> int:
        return int(self.rng.integers(0, len(view.wait)))


class Greedy:
    """The node available earliest (fit or not)."""

    name = "Greedy"

    def reset(self, seed: int) -> None:
        pass

    def act(self, obs: Any, view: Any) -> int:
        return int(np.argmin(view.available))


class GreedyError:
    """The node available earliest; ties broken by the lowest two-qubit gate error."""

    name = "GreedyError"

    def reset(self, seed: int) -> None:
        pass

    def act(self, obs: Any, view: Any) -> int:
        order = np.lexsort((view.gate_error_2q, view.available))
        return int(order[0])


class FeasibleGreedy:
    """The node available earliest among those with enough qubits."""

    name = "FeasibleGreedy"

    def reset(self, seed: int) -> None:
        pass

    def act(self, obs: Any, view: Any) -> int:
        return int(np.argmin(np.where(view.feasible, view.available, np.inf)))


HEURISTICS: dict[str, type] = {
    "RoundRobin": RoundRobin,
    "Random": RandomScheduler,
    "Greedy": Greedy,
    "GreedyError": GreedyError,
    "FeasibleGreedy": FeasibleGreedy,
}


def make_heuristic(name: str, key: str = "schedulers") -> Scheduler:
    if name not in HEURISTICS:
        raise UnknownNameError(key, name, "heuristic scheduler", HEURISTICS)
    return HEURISTICS[name]()
