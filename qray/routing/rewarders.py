"""Rewarders (qgym's names). Rewards are per step: the studied BasicRewarder returned a
running score, which paid for padding an episode with useless SWAP pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qray.routing.state import RoutingState

SWAP, SURPASS, ILLEGAL = "swap", "surpass", "illegal"


class Rewarder:
    """``before(state)`` runs before an action (what the reward needs from the old state);
    ``reward(state, kind, before)`` after it, with ``kind`` swap / surpass / illegal."""

    def before(self, state: RoutingState) -> Any:
        return None

    def reward(self, state: RoutingState, kind: str, before: Any) -> float:
        raise NotImplementedError

    @property
    def reward_range(self) -> tuple[float, float]:
        return (-float("inf"), float("inf"))


class BasicRewarder(Rewarder):
    """Illegal surpass ``illegal_action_penalty`` (-50), legal surpass ``reward_per_surpass``
    (+10), SWAP ``penalty_per_swap`` (-10), each step."""

    def __init__(self, illegal_action_penalty: float = -50, penalty_per_swap: float = -10,
                 reward_per_surpass: float = 10) -> None:
        self.illegal_action_penalty = float(illegal_action_penalty)
        self.penalty_per_swap = float(penalty_per_swap)
        self.reward_per_surpass = float(reward_per_surpass)

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
    of executable gates in the observation window / the window's size."""

    def __init__(self, illegal_action_penalty: float = -50, penalty_per_swap: float = -10,
                 reward_per_surpass: float = 10, good_swap_reward: float = 5) -> None:
        super().__init__(illegal_action_penalty, penalty_per_swap, reward_per_surpass)
        self.good_swap_reward = float(good_swap_reward)

    def before(self, state: RoutingState) -> int:
        return int(state.legal_window().sum())

    def reward(self, state: RoutingState, kind: str, before: Any) -> float:
        if kind != SWAP:
            return super().reward(state, kind, before)
        delta = int(state.legal_window().sum()) - before
        return self.penalty_per_swap + self.good_swap_reward * delta / state.reach

    @property
    def reward_range(self) -> tuple[float, float]:
        lo, hi = super().reward_range
        g = abs(self.good_swap_reward)
        return (min(lo, self.penalty_per_swap - g), max(hi, self.penalty_per_swap + g))


class EpisodeRewarder(Rewarder):
    """0 until the episode ends, then ``penalty_per_swap`` (-10) per SWAP inserted. An
    episode cut off at the step cap also pays ``penalty_per_unrouted_gate`` (-50) per gate
    not surpassed, so giving up never beats finishing."""

    def __init__(self, penalty_per_swap: float = -10,
                 penalty_per_unrouted_gate: float = -50) -> None:
        self.penalty_per_swap = float(penalty_per_swap)
        self.penalty_per_unrouted_gate = float(penalty_per_unrouted_gate)

    def reward(self, state: RoutingState, kind: str, before: Any) -> float:
        if state.is_done():
            return self.penalty_per_swap * len(state.swap_gates_inserted)
        if state.truncated:
            left = len(state.interaction_circuit) - state.position
            return (self.penalty_per_swap * len(state.swap_gates_inserted)
                    + self.penalty_per_unrouted_gate * left)
        return 0.0
