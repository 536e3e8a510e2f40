"""``FrontLayerRouting``: the front-layer mode as a Gymnasium env (qgym's mode stays
``Routing``, the default).

Every action is a SWAP (``a`` on ``edges[a]``, networkx's edge order as in ``Routing``);
after it every executable gate of the front layer runs (``qray.routing.front.state``). The
observation has the front layer and the extended set (the next ``lookahead`` gates of the
DAG) as physical qubit pairs padded with ``n``, the mapping (logical -> physical) and the
action mask (SWAPs touching a front gate's qubit). Reward: ``penalty_per_swap`` (-1) per
SWAP; truncated after ``max_steps`` (default ``2 x diameter x gates + 10``). The episode's
``state`` feeds ``front.writer.write_routed``, so a routing of this env is written and
verified like any router's.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from qray.routing.circuits.graphs import parse_connection_graph
from qray.routing.front.state import FrontLayerState, FrontTopology
from qray.routing.qgym.generators import BasicInteractionGenerator


class FrontLayerRouting(gym.Env):
    """Qubit routing on the DAG's front layer."""

    metadata = {"render_modes": []}

    def __init__(self, connection_graph: Any, interaction_generator: Any = None, *,
                 lookahead: int = 10, penalty_per_swap: float = -1.0,
                 max_steps: int | None = None) -> None:
        graph = parse_connection_graph(connection_graph)
        if int(lookahead) < 0:
            raise ValueError(f"lookahead must be >= 0, got {lookahead}")
        if max_steps is not None and int(max_steps) < 1:
            raise ValueError(f"max_steps must be >= 1 or None, got {max_steps}")
        self.topology = FrontTopology(graph)
        n, n_edges = self.topology.n, len(self.topology.edges)
        self.generator = interaction_generator or BasicInteractionGenerator()
        self.generator.set_state_attributes(connection_graph=graph)
        self.lookahead_size = int(lookahead)
        self.front_size = n // 2  # front gates act on disjoint qubits
        self.penalty_per_swap = float(penalty_per_swap)
        self.max_steps = None if max_steps is None else int(max_steps)
        self.action_space = spaces.Discrete(n_edges)
        self.observation_space = spaces.Dict({
            "front": spaces.MultiDiscrete(np.full(2 * self.front_size, n + 1)),
            "lookahead": spaces.MultiDiscrete(np.full(2 * max(self.lookahead_size, 1), n + 1)),
            "mapping": spaces.MultiDiscrete(np.full(n, n)),
            "action_mask": spaces.MultiBinary(n_edges),
        })
        self.state = FrontLayerState(self.topology, np.zeros((0, 2), dtype=np.int64))
        self.step_cap = 1

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """``options``: ``interaction_circuit`` (logical pairs) and ``preds`` (each gate's
        predecessors; default the previous gate on each qubit)."""
        super().reset(seed=seed)
        if seed is not None and callable(getattr(self.generator, "seed", None)):
            self.generator.seed(int(self.np_random.integers(2**63)))
        options = dict(options or {})
        unknown = set(options) - {"interaction_circuit", "preds"}
        if unknown:
            raise ValueError(f"reset options: unknown {sorted(unknown)}; allowed: "
                             "interaction_circuit, preds")
        pairs = options.get("interaction_circuit")
        if pairs is None:
            pairs = next(self.generator)
        self.state = FrontLayerState(self.topology, pairs, preds=options.get("preds"))
        self.step_cap = self.max_steps or 2 * self.topology.diameter * len(self.state.pairs) + 10
        return self._obs(), self.info()

    def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool,
                                         dict[str, Any]]:
        a = int(action)
        if not 0 <= a < self.action_space.n:
            raise ValueError(f"action must be in [0, {self.action_space.n - 1}], got "
                             f"{action!r}")
        self.state.swap(a)
        terminated = self.state.is_done()
        truncated = not terminated and self.state.steps >= self.step_cap
        return self._obs(), self.penalty_per_swap, terminated, truncated, self.info()

    def action_masks(self) -> np.ndarray:
        mask = np.zeros(self.action_space.n, dtype=bool)
        mask[self.state.candidate_edges()] = True
        return mask

    def _pad(self, phys: np.ndarray, size: int) -> np.ndarray:
        out = np.full((size, 2), self.topology.n, dtype=np.int64)
        out[:len(phys)] = phys[:size]
        return out.reshape(-1)

    def _obs(self) -> dict[str, np.ndarray]:
        s = self.state
        ext = s.lookahead(self.lookahead_size)
        ext_phys = s.where[s.pairs[ext]] if ext else np.zeros((0, 2), dtype=np.int64)
        return {"front": self._pad(s.front_pairs(), self.front_size),
                "lookahead": self._pad(ext_phys, max(self.lookahead_size, 1)),
                "mapping": s.where.copy(),
                "action_mask": self.action_masks().astype(np.int8)}

    def info(self) -> dict[str, Any]:
        s = self.state
        return {"gates_done": s.done_count, "num_gates": len(s.pairs),
                "swaps": s.swaps, "front_size": len(s.front)}
