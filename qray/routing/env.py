"""``Routing``: qgym's routing env (same constructor, observation keys and actions),
with the studied defects fixed.

Actions: ``a < E`` swaps the logical qubits on the physical edge ``state.edges[a]``;
``a == E`` surpasses the next gate, which is legal only when it acts on adjacent physical
qubits (an illegal surpass does nothing and is penalized). The episode terminates when
every gate is surpassed and is truncated at ``max_steps`` (default: ``2 x diameter x
gates + 10``). ``action_masks()`` (and the optional ``action_mask`` key) mark the legal
actions for masked policies. ``reset(seed=...)`` reseeds the interaction generator, so a
seeded reset reproduces its circuit.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from qray.routing.generators import BasicInteractionGenerator, InteractionGenerator
from qray.routing.graphs import parse_connection_graph
from qray.routing.rewarders import ILLEGAL, SURPASS, SWAP, BasicRewarder, Rewarder
from qray.routing.state import RoutingState

RENDER_MODES = ("human", "rgb_array")


class Routing(gym.Env):
    """RL environment for qubit routing (qgym's ``Routing`` API)."""

    metadata = {"render_modes": list(RENDER_MODES), "render_fps": 4}

    def __init__(self, connection_graph: Any, interaction_generator: InteractionGenerator |
                 None = None, max_observation_reach: int = 5, observe_legal_surpasses: bool = True,
                 observe_connection_graph: bool = False, *, rewarder: Rewarder | None = None,
                 render_mode: str | None = None, max_steps: int | None = None,
                 observe_action_mask: bool = False) -> None:
        graph = parse_connection_graph(connection_graph)
        if isinstance(max_observation_reach, bool) or int(max_observation_reach) < 1:
            raise ValueError(f"max_observation_reach must be an integer >= 1, got "
                             f"{max_observation_reach!r}")
        if rewarder is not None and not isinstance(rewarder, Rewarder):
            raise TypeError(f"rewarder must be a qray.routing Rewarder, got {type(rewarder)}")
        if render_mode is not None and render_mode not in RENDER_MODES:
            raise ValueError(f"render_mode must be one of {RENDER_MODES} or None, got "
                             f"{render_mode!r}")
        if max_steps is not None and int(max_steps) < 1:
            raise ValueError(f"max_steps must be >= 1 or None, got {max_steps}")
        generator = interaction_generator or BasicInteractionGenerator()
        if not isinstance(generator, InteractionGenerator):
            raise TypeError("interaction_generator must be a qray.routing InteractionGenerator, "
                            f"got {type(generator).__name__}")
        generator.set_state_attributes(connection_graph=graph)
        self.interaction_generator = generator
        self.state = RoutingState(graph, generator, int(max_observation_reach))
        self.rewarder = rewarder or BasicRewarder()
        self.render_mode = render_mode
        self.max_steps = None if max_steps is None else int(max_steps)
        self.observe_legal_surpasses = bool(observe_legal_surpasses)
        self.observe_connection_graph = bool(observe_connection_graph)
        self.observe_action_mask = bool(observe_action_mask)
        n, reach, n_edges = self.state.num_nodes, self.state.reach, len(self.state.edges)
        self.surpass_action = n_edges
        self.action_space = spaces.Discrete(n_edges + 1)
        obs: dict[str, spaces.Space] = {
            "interaction_gates_ahead": spaces.MultiDiscrete(np.full(2 * reach, n + 1),
                                                            dtype=np.int32),
            "mapping": spaces.MultiDiscrete(np.full(n, n), dtype=np.int32),
        }
        if self.observe_legal_surpasses:
            obs["is_legal_surpass_booleans"] = spaces.MultiBinary(reach)
        if self.observe_connection_graph:
            obs["connection_graph"] = spaces.MultiBinary(n * n)
        if self.observe_action_mask:
            obs["action_mask"] = spaces.MultiBinary(n_edges + 1)
        self.observation_space = spaces.Dict(obs)
        self._step_cap = 1
        self._illegal = 0
        self._renderer: Any = None
        self.state.reset(np.zeros((0, 2), dtype=np.int32))

    # -- gymnasium API ----------------------------------------------------------------
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """New episode. ``options``: ``interaction_circuit`` (logical pairs) and ``mapping``
        (initial physical -> logical permutation)."""
        super().reset(seed=seed)
        if seed is not None:
            self.interaction_generator.seed(int(self.np_random.integers(2**63)))
        options = dict(options or {})
        unknown = set(options) - {"interaction_circuit", "mapping"}
        if unknown:
            raise ValueError(f"reset options: unknown {sorted(unknown)}; allowed: "
                             "interaction_circuit, mapping")
        self.state.reset(options.get("interaction_circuit"), options.get("mapping"))
        k = len(self.state.interaction_circuit)
        self._step_cap = self.max_steps or 2 * self.state.diameter * k + 10
        self._illegal = 0
        if self.render_mode == "human":
            self.render()
        return self._obs(), self._info()

    def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool,
                                         dict[str, Any]]:
        state = self.state
        a = int(action)
        if not 0 <= a <= self.surpass_action:
            raise ValueError(f"action must be in [0, {self.surpass_action}], got {action!r}")
        before = self.rewarder.before(state)
        if a == self.surpass_action:
            kind = SURPASS if state.surpass() else ILLEGAL
            if kind == ILLEGAL:
                self._illegal += 1
        else:
            state.swap(a)
            kind = SWAP
        state.steps_done += 1
        terminated = state.is_done()
        truncated = not terminated and state.steps_done >= self._step_cap
        state.truncated = truncated
        reward = self.rewarder.reward(state, kind, before)
        if self.render_mode == "human":
            self.render()
        return self._obs(), float(reward), terminated, truncated, self._info()

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
        from qray.routing.render import Renderer

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
        s = self.state
        obs = {"interaction_gates_ahead": s.gates_ahead().reshape(-1).copy(),
               "mapping": s.mapping.copy()}
        if self.observe_legal_surpasses:
            obs["is_legal_surpass_booleans"] = s.legal_window().astype(np.int8)
        if self.observe_connection_graph:
            obs["connection_graph"] = s.adjacency_flat.copy()
        if self.observe_action_mask:
            obs["action_mask"] = self.action_masks().astype(np.int8)
        return obs

    def _info(self) -> dict[str, Any]:
        s = self.state
        return {"steps_done": s.steps_done, "position": s.position,
                "num_gates": len(s.interaction_circuit),
                "num_swaps_inserted": len(s.swap_gates_inserted),
                "illegal_actions": self._illegal}
