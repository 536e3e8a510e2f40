"""Rewarders with qgym 0.3.1's names, constructors and ``compute_reward(*, old_state,
action, new_state)``. Rewards are per step: qgym's ``BasicRewarder`` returned a running
score (every surpass and SWAP so far, again at every step), which paid for padding an
episode with useless SWAP pairs.

The built-in rewarders also have a fast path the env uses instead (``before(state)`` reads
what the reward needs before the action; ``reward(state, kind, before)`` after it), so the
env never copies its state for them. Any other object with qgym's ``compute_reward`` (a
subclass of ``qgym.templates.Rewarder``, say) is called as qgym calls it, with a copy of
the state from before the action.
"""

from __future__ import annotations

import warnings
from numbers import Real
from typing import TYPE_CHECKING, Any

from qray.routing.qgym.compat import RewarderBase

if TYPE_CHECKING:
    from qray.routing.qgym.state import RoutingState

SWAP, SURPASS, ILLEGAL = "swap", "surpass", "illegal"


def _real(x: Any, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{name}: expected a real number, got {type(x).__name__} {x!r}")
    return float(x)


def _warn_sign(x: float, name: str, *, positive: bool) -> None:
    if (x > 0) if positive else (x < 0):
        warnings.warn(f"'{name}' was {'positive' if positive else 'negative'}", stacklevel=3)


def action_kind(old_state: RoutingState, action: int) -> str:
    """swap / surpass / illegal (a surpass of a gate that is not executable)."""
    if int(action) != old_state.n_connections:
        return SWAP
    return SURPASS if old_state.front_executable() else ILLEGAL


def _fast(method: Any) -> Any:
    method._qray_fast = True
    return method


class Rewarder(RewarderBase):
    """Base class: qgym's ``compute_reward`` in terms of ``before`` and ``reward``."""

    def before(self, state: RoutingState) -> Any:
        return None

    def reward(self, state: RoutingState, kind: str, before: Any) -> float:
        raise NotImplementedError

    @_fast
    def compute_reward(self, *, old_state: RoutingState, action: int,
                       new_state: RoutingState) -> float:
        """The reward of ``action``, taken in ``old_state``, that led to ``new_state``."""
        return self.reward(new_state, action_kind(old_state, action), self.before(old_state))

    @property
    def reward_range(self) -> tuple[float, float]:
        return (-float("inf"), float("inf"))


def uses_fast_path(rewarder: Any) -> bool:
    """Whether the env may call ``before``/``reward`` instead of ``compute_reward``."""
    return bool(getattr(type(rewarder).compute_reward, "_qray_fast", False))


class BasicRewarder(Rewarder):
    """Illegal surpass ``illegal_action_penalty`` (-50), legal surpass ``reward_per_surpass``
    (+10), SWAP ``penalty_per_swap`` (-10), each step."""

    def __init__(self, illegal_action_penalty: float = -50, penalty_per_swap: float = -10,
                 reward_per_surpass: float = 10) -> None:
        self.illegal_action_penalty = _real(illegal_action_penalty, "illegal_action_penalty")
        self.penalty_per_swap = _real(penalty_per_swap, "penalty_per_swap")
        self.reward_per_surpass = _real(reward_per_surpass, "reward_per_surpass")
        _warn_sign(self.illegal_action_penalty, "illegal_action_penalty", positive=True)
        _warn_sign(self.penalty_per_swap, "penalty_per_swap", positive=True)
        _warn_sign(self.reward_per_surpass, "reward_per_surpass", positive=False)

    def reward(self, state: RoutingState, kind: str, before: Any) -> float:
        if kind == SWAP:
            return self.penalty_per_swap
        if kind == SURPASS:
            return self.reward_per_surpass
        return self.illegal_action_penalty

    @property
    def reward_range(self) -> tuple[float, float]:
        vals = (self.illegal_action_penalty, self.penalty_per_swap, self.reward_per_surpass)
        return (min(vals), max(vals))


class SwapQualityRewarder(BasicRewarder):
    """As Basic, and a SWAP also earns ``good_swap_reward`` (5) x the change in the number
    of executable gates in the observation window (padded slots count, as in qgym) / the
    window's size."""

    def __init__(self, illegal_action_penalty: float = -50, penalty_per_swap: float = -10,
                 reward_per_surpass: float = 10, good_swap_reward: float = 5) -> None:
        super().__init__(illegal_action_penalty, penalty_per_swap, reward_per_surpass)
        self.good_swap_reward = _real(good_swap_reward, "reward_per_good_swap")
        if not 0 <= self.good_swap_reward < -self.penalty_per_swap:
            warnings.warn("Good swaps should not result in positive rewards.", stacklevel=2)

    def before(self, state: RoutingState) -> tuple[int, bool]:
        return int(state.legal_window().sum()), bool(state.observe_legal_surpasses)

    def reward(self, state: RoutingState, kind: str, before: Any) -> float:
        if kind != SWAP:
            return super().reward(state, kind, before)
        count, observed = before
        if not observed:  # as qgym: the state before the SWAP observes the legality
            raise ValueError("observe_legal_surpasses needs to be True to compute the "
                             "SwapQualityRewarder's observation enhancement factor")
        delta = int(state.legal_window().sum()) - count
        return self.penalty_per_swap + self.good_swap_reward * delta / state.reach

    @property
    def reward_range(self) -> tuple[float, float]:
        lo, hi = super().reward_range
        g = abs(self.good_swap_reward)
        return (min(lo, self.penalty_per_swap - g), max(hi, self.penalty_per_swap + g))


class EpisodeRewarder(BasicRewarder):
    """An illegal surpass pays ``illegal_action_penalty`` (-50); otherwise 0 until the
    episode ends, then ``penalty_per_swap`` (-10) per SWAP inserted. An episode cut off at
    the step cap (qray's truncation) also pays ``penalty_per_unrouted_gate`` (-50) per gate
    not surpassed, so giving up never beats finishing."""

    def __init__(self, illegal_action_penalty: float = -50, penalty_per_swap: float = -10,
                 reward_per_surpass: float = 10, *,
                 penalty_per_unrouted_gate: float = -50) -> None:
        super().__init__(illegal_action_penalty, penalty_per_swap, reward_per_surpass)
        self.penalty_per_unrouted_gate = _real(penalty_per_unrouted_gate,
                                               "penalty_per_unrouted_gate")

    def reward(self, state: RoutingState, kind: str, before: Any) -> float:
        now = self.illegal_action_penalty if kind == ILLEGAL else 0.0
        if state.is_done():
            return now + self.penalty_per_swap * len(state.swap_gates_inserted)
        if state.truncated:
            left = len(state.interaction_circuit) - state.position
            return (now + self.penalty_per_swap * len(state.swap_gates_inserted)
                    + self.penalty_per_unrouted_gate * left)
        return now

    @property
    def reward_range(self) -> tuple[float, float]:
        return (-float("inf"), max(0.0, self.illegal_action_penalty))
