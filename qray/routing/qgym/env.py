"""``Routing``: qgym 0.3.1's routing env (same constructor, spaces, observation keys and
values, action decoding, rewarders, generators and ``info`` keys), with qgym's defects
fixed (the README lists them, each with its test).

Actions: ``a < E`` swaps the logical qubits on the physical edge ``state.edges[a]``
(networkx's edge order of the connection graph, as qgym); ``a == E`` surpasses the next
gate, which is legal only when it acts on adjacent physical qubits (an illegal surpass does
nothing and is penalized). The episode terminates when every gate is surpassed and is
truncated at ``max_steps`` (default: ``2 x diameter x gates + 10``). ``action_masks()``
(and the optional ``action_mask`` key) mark the legal actions for masked policies.
``reset(seed=...)`` reseeds the interaction generator, so a seeded reset reproduces its
circuit.
"""

from __future__ import annotations

import copy
from typing import Any

import gymnasium as gym
import numpy as np

from qray.routing.circuits.graphs import parse_connection_graph
from qray.routing.qgym.compat import spaces
from qray.routing.qgym.generators import BasicInteractionGenerator
from qray.routing.qgym.rewarders import (
    ILLEGAL,
    SURPASS,
    SWAP,
    BasicRewarder,
    uses_fast_path,
)
from qray.routing.qgym.state import RoutingState

RENDER_MODES = ("human", "rgb_array")
RESET_OPTIONS = ("interaction_circuit", "mapping")


class Routing(gym.Env):
    """RL environment for qubit routing (qgym's ``Routing`` API)."""

    metadata = {"render_modes": list(RENDER_MODES), "render_fps": 4}

    def __init__(self, connection_graph: Any, interaction_generator: Any = None,
                 max_observation_reach: int = 5, observe_legal_surpasses: bool = True,
                 observe_connection_graph: bool = False, *, rewarder: Any = None,
                 render_mode: str | None = None, max_steps: int | None = None,
                 observe_action_mask: bool = False) -> None:
        graph = parse_connection_graph(connection_graph)
        if (isinstance(max_observation_reach, bool)
                or not isinstance(max_observation_reach, (int, np.integer))
                or max_observation_reach < 1):
            raise ValueError(f"max_observation_reach must be an integer >= 1, got "
                             f"{max_observation_reach!r}")
        for name, flag in (("observe_legal_surpasses", observe_legal_surpasses),
                           ("observe_connection_graph", observe_connection_graph)):
            if not isinstance(flag, (bool, np.bool_)):
                raise TypeError(f"{name} must be a bool, got {flag!r}")
        if rewarder is not None and not callable(getattr(rewarder, "compute_reward", None)):
            raise TypeError("rewarder must have qgym's compute_reward(*, old_state, action, "
                            f"new_state) (a qray.routing or qgym Rewarder), got "
                            f"{type(rewarder).__name__}")
        if render_mode is not None and render_mode not in RENDER_MODES:
            raise ValueError(f"render_mode must be one of {RENDER_MODES} or None, got "
                             f"{render_mode!r}")
        if max_steps is not None and int(max_steps) < 1:
            raise ValueError(f"max_steps must be >= 1 or None, got {max_steps}")
        if interaction_generator is None:
            generator: Any = BasicInteractionGenerator()
        else:
            if not (callable(getattr(interaction_generator, "__next__", None))
                    and callable(getattr(interaction_generator, "set_state_attributes",
                                         None))):
                raise TypeError("interaction_generator must be an interaction generator (an "
                                "iterator of circuits with set_state_attributes, as qgym's "
                                f"InteractionGenerator), got "
                                f"{type(interaction_generator).__name__}")
            if getattr(interaction_generator, "finite", False):
                raise ValueError("interaction_generator: must be an infinite generator "
                                 "(its 'finite' is True)")
            generator = copy.deepcopy(interaction_generator)  # as qgym: the env owns a copy
        reach = int(max_observation_reach)
        generator.set_state_attributes(
            max_observation_reach=reach, connection_graph=graph,
            observe_legal_surpasses=bool(observe_legal_surpasses),
            observe_connection_graph=bool(observe_connection_graph))
        self.interaction_generator = generator
        self._state = RoutingState(
            interaction_generator=generator, max_observation_reach=reach,
            connection_graph=graph, observe_legal_surpasses=bool(observe_legal_surpasses),
            observe_connection_graph=bool(observe_connection_graph))
        # as qgym: the env owns a copy of the rewarder
        self.rewarder = copy.deepcopy(rewarder) if rewarder is not None else BasicRewarder()
        self.render_mode = render_mode
        self.max_steps = None if max_steps is None else int(max_steps)
        self.observe_legal_surpasses = bool(observe_legal_surpasses)
        self.observe_connection_graph = bool(observe_connection_graph)
        self.observe_action_mask = bool(observe_action_mask)
        n_edges = self._state.n_connections
        self.surpass_action = n_edges
        self.action_space = spaces.Discrete(n_edges + 1)
        obs_space = self._state.create_observation_space()
        if self.observe_action_mask:
            obs_space = spaces.Dict({**obs_space.spaces,
                                     "action_mask": spaces.MultiBinary(n_edges + 1)})
        self.observation_space = obs_space
        self._step_cap = 1
        self._renderer: Any = None

    @property
    def state(self) -> RoutingState:
        """The episode's state (qgym keeps it as ``_state``; both names work)."""
        return self._state

    @property
    def rewarder(self) -> Any:
        return self._rewarder

    @rewarder.setter
    def rewarder(self, rewarder: Any) -> None:
        self._rewarder = rewarder
        self._fast_reward = uses_fast_path(rewarder)
        self.reward_range = getattr(rewarder, "reward_range", (-float("inf"), float("inf")))

    # -- gymnasium API ----------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """New episode. ``options``: ``interaction_circuit`` (logical pairs) and ``mapping``
        (initial logical -> physical permutation, a qray extension); others are refused."""
        super().reset(seed=seed)
        if seed is not None:
            self._seed_generator(int(self.np_random.integers(2**63)))
        options = dict(options or {})
        unknown = set(options) - set(RESET_OPTIONS)
        if unknown:
            raise ValueError(f"reset options: unknown {sorted(unknown)}; allowed: "
                             f"{', '.join(RESET_OPTIONS)}")
        self._state.reset(seed=seed, **options)
        k = len(self._state.interaction_circuit)
        self._step_cap = self.max_steps or 2 * self._state.diameter * k + 10
        if self.render_mode == "human":
            self.render()
        return self._obs(), self._state.obtain_info()

    def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool,
                                         dict[str, Any]]:
        state = self._state
        a = int(action)
        if not 0 <= a <= self.surpass_action:
            raise ValueError(f"action must be in [0, {self.surpass_action}], got {action!r}")
        if self._fast_reward:
            before = self._rewarder.before(state)
        else:
            old_state = state.copy()
        if a == self.surpass_action:
            kind = SURPASS if state.surpass() else ILLEGAL
            if kind == ILLEGAL:
                state.illegal_actions += 1
        else:
            state.swap(a)
            kind = SWAP
        state.steps_done += 1
        terminated = state.is_done()
        truncated = not terminated and state.steps_done >= self._step_cap
        state.truncated = truncated
        if self._fast_reward:
            reward = self._rewarder.reward(state, kind, before)
        else:
            reward = self._rewarder.compute_reward(old_state=old_state, action=a,
                                                   new_state=state)
        if self.render_mode == "human":
            self.render()
        return self._obs(), float(reward), terminated, truncated, state.obtain_info()

    def action_masks(self) -> np.ndarray:
        """Legal actions (bool, E + 1): every SWAP; the surpass when the next gate is
        executable."""
        mask = np.ones(self.surpass_action + 1, dtype=bool)
        mask[-1] = self.state.front_executable()
        return mask

    def render(self) -> np.ndarray | None:
        if self.render_mode is None:
            gym.logger.warn("render() called without a render_mode")
            return None
        from qray.routing.qgym.render import Renderer

        if self._renderer is None:
            self._renderer = Renderer(self.state.connection_graph)
        frame = self._renderer.frame(self.state)
        if self.render_mode == "human":
            self._renderer.show(frame)
            return None
        return frame

    def close(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    # -- helpers ----------------------------------------------------------------------
    @property
    def step_cap(self) -> int:
        """The truncation step of the current episode."""
        return self._step_cap

    def _obs(self) -> dict[str, np.ndarray]:
        obs = self._state.obtain_observation()
        if self.observe_action_mask:
            obs["action_mask"] = self.action_masks().astype(np.int8)
        return obs

    def _seed_generator(self, seed: int) -> None:
        """Reseed the generator: its ``seed()`` (qray's), else a fresh ``rng`` (qgym's
        generators keep their numpy Generator there)."""
        gen = self.interaction_generator
        if callable(getattr(gen, "seed", None)):
            gen.seed(seed)
        elif isinstance(getattr(gen, "rng", None), np.random.Generator):
            gen.rng = np.random.default_rng(seed)
