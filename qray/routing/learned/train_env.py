"""``RoutingTrainEnv``: the routing env as RLlib trains it (masked Dict observation).

``mode: qgym`` (default) wraps ``Routing``: observation ``{"action_mask": (E + 1,),
"observations": EdgeFeatures}``, actions and rewards ``Routing``'s (BasicRewarder per
step, scaled by ``reward_scale``). ``mode: front`` wraps ``FrontLayerRouting``: the same
layout from ``FrontFeatures`` (the last action, qgym's surpass, always masked), -10 x
``reward_scale`` per SWAP. Each
episode is a random circuit drawn from training keys below ``TRAIN_SEED_LIMIT``; the
evaluation's keys start at ``EVAL_SEED_BASE``, so no evaluation circuit is seen in training.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from qray.config import as_list, build, require
from qray.routing.circuits.benchmarks import TRAIN_SEED_LIMIT, random_pairs
from qray.routing.circuits.graphs import coupling_graph
from qray.routing.qgym.env import Routing
from qray.routing.qgym.features import EdgeFeatures
from qray.routing.qgym.generators import NullInteractionGenerator


@dataclass(frozen=True)
class RouterEnvConfig:
    """One training env: a coupling map and the random circuits routed on it.

    Attributes:
        coupling_map: named map (grid-5x5, heavy-hex-19, line-25, ...).
        n_qubits: logical qubits of a circuit (list: drawn per episode).
        gates: two-qubit gates of a circuit (list: drawn per episode).
        window: gates ahead the features look at (after the next one).
        decay: weight decay per gate ahead.
        reward_scale: factor on BasicRewarder's rewards (+10 surpass, -10 SWAP).
        shaping: potential-based shaping weight c: each step also earns
            gamma * phi(s') - phi(s) with phi = -c x (next gate's distance - 1), which
            leaves the optimal policy unchanged and rewards SWAPs that bring it closer.
        gamma: the discount the shaping uses (training sets it to ``ppo.gamma``).
        max_steps: step cap (None: the env's ``2 x diameter x gates + 10``).
    """

    coupling_map: str = "grid-5x5"
    n_qubits: list[int] = field(default_factory=lambda: [10], metadata={"normalize": as_list})
    gates: list[int] = field(default_factory=lambda: [50], metadata={"normalize": as_list})
    window: int = 10
    decay: float = 0.5
    reward_scale: float = 0.1
    shaping: float = 0.0
    gamma: float = 0.99
    max_steps: int | None = None
    mode: str = "qgym"

    def __post_init__(self) -> None:
        require(self.mode in ("qgym", "front"), "env.mode", self.mode, "qgym or front")
        graph = coupling_graph(self.coupling_map, "env.coupling_map")
        n = graph.number_of_nodes()
        for i, q in enumerate(self.n_qubits):
            require(isinstance(q, int) and 2 <= q <= n, f"env.n_qubits[{i}]", q,
                    f"an integer in [2, {n}] (the map's qubits)")
        for i, g in enumerate(self.gates):
            require(isinstance(g, int) and g >= 1, f"env.gates[{i}]", g, "an integer >= 1")
        require(isinstance(self.window, int) and self.window >= 0, "env.window", self.window,
                "an integer >= 0")
        require(0 < self.decay <= 1, "env.decay", self.decay, "a number in (0, 1]")
        require(self.shaping >= 0, "env.shaping", self.shaping, "a number >= 0")
        require(0 <= self.gamma <= 1, "env.gamma", self.gamma, "a number in [0, 1]")
        require(self.reward_scale > 0, "env.reward_scale", self.reward_scale, "a number > 0")
        require(self.max_steps is None or (isinstance(self.max_steps, int) and self.max_steps > 0),
                "env.max_steps", self.max_steps, "null or an integer >= 1")

    def feature_params(self) -> dict[str, Any]:
        """What a policy's observation depends on (checked when it is loaded)."""
        from qray.routing.qgym.features import FEATURES_VERSION

        if self.mode == "front":
            from qray.routing.front.features import FRONT_FEATURES_VERSION

            return {"coupling_map": self.coupling_map, "window": self.window,
                    "decay": self.decay, "mode": "front", "features": FRONT_FEATURES_VERSION}
        return {"coupling_map": self.coupling_map, "window": self.window, "decay": self.decay,
                "features": FEATURES_VERSION}


def env_config(data: Mapping[str, Any] | RouterEnvConfig | None) -> RouterEnvConfig:
    if isinstance(data, RouterEnvConfig):
        return data
    return build(RouterEnvConfig, dict(data or {}), prefix="env.")


class RoutingTrainEnv(gym.Env):
    """Masked routing env for RLlib (``env_config``: a ``RouterEnvConfig`` mapping)."""

    def __init__(self, config: Mapping[str, Any] | RouterEnvConfig | None = None) -> None:
        self.cfg = env_config(config)
        graph = coupling_graph(self.cfg.coupling_map)
        self.front = self.cfg.mode == "front"
        if self.front:
            from qray.routing.front.env import FrontLayerRouting
            from qray.routing.front.features import FrontFeatures

            self.routing: Any = FrontLayerRouting(graph, NullInteractionGenerator(),
                                                  lookahead=0, max_steps=self.cfg.max_steps)
            self.features: Any = FrontFeatures(self.routing.topology, self.cfg.window,
                                               self.cfg.decay)
            self.edges = list(self.routing.topology.edges)
            n_actions = len(self.edges) + 1  # the last one (qgym's surpass) always masked
        else:
            self.routing = Routing(graph, NullInteractionGenerator(), max_observation_reach=1,
                                   max_steps=self.cfg.max_steps)
            self.features = EdgeFeatures(self.routing.state, self.cfg.window, self.cfg.decay)
            self.edges = list(self.routing.state.edges)
            n_actions = self.routing.action_space.n
        self.action_space = spaces.Discrete(n_actions)
        self.observation_space = spaces.Dict({
            "action_mask": spaces.Box(0.0, 1.0, (n_actions,), np.float32),
            "observations": spaces.Box(-np.inf, np.inf, (self.features.size,), np.float32),
        })
        self.key = -1

    def _obs(self) -> dict[str, np.ndarray]:
        mask, obs = self.features.compute(self.routing.state)
        return {"action_mask": mask, "observations": obs}

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        super().reset(seed=seed)
        rng = self.np_random
        self.key = int((options or {}).get("key", rng.integers(TRAIN_SEED_LIMIT)))
        n = int(self.cfg.n_qubits[int(rng.integers(len(self.cfg.n_qubits)))])
        g = int(self.cfg.gates[int(rng.integers(len(self.cfg.gates)))])
        while True:
            self.routing.reset(options={"interaction_circuit": random_pairs(n, g, self.key)})
            if not (self.front and self.routing.state.is_done()):
                break
            self.key = (self.key + 1) % TRAIN_SEED_LIMIT  # nothing to route: the next one
        return self._obs(), {"key": self.key}

    def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool,
                                         dict[str, Any]]:
        before = self._potential()
        if self.front and int(action) == len(self.edges):  # always masked: a wasted step
            s = self.routing.state
            s.steps += 1
            truncated = not s.is_done() and s.steps >= self.routing.step_cap
            return (self._obs(), -10.0 * self.cfg.reward_scale, s.is_done(), truncated,
                    self.routing.info())
        _, reward, terminated, truncated, info = self.routing.step(action)
        reward *= self.cfg.reward_scale * (10.0 if self.front else 1.0)
        if self.cfg.shaping:
            reward += self.cfg.gamma * self._potential() - before
        return self._obs(), reward, terminated, truncated, info

    def _potential(self) -> float:
        s = self.routing.state
        if s.is_done():
            return 0.0
        if self.front:
            front = s.front_pairs()
            d = s.topo.distance[front[:, 0], front[:, 1]]
            return -self.cfg.shaping * float((d - 1).sum())
        a, b = s._pairs[s.position]
        return -self.cfg.shaping * float(s.distance[s.where[a], s.where[b]] - 1)

    def action_masks(self) -> np.ndarray:
        return self.features.compute(self.routing.state)[0] > 0
