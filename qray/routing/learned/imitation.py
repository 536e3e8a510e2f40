"""Imitation before PPO: a front-layer router's demonstrations in the training env.

``demonstrations(env, expert, keys)`` lets the expert (``front-greedy`` or
``front-search-<width>``) route the training env's circuits of ``keys`` through
``RoutingTrainEnv`` itself, so every record is exactly what PPO later sees: the masked
observation, the expert's SWAP, and the discounted return the env paid from that state on
(its rewards, shaping included, at the env's ``gamma``), the value head's target. A SWAP the
mask does not allow (the expert may pick a SWAP that brings no front gate closer) is kept
for the return but flagged ``legal = False``, so the policy is never taught a masked action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from qray.config import require
from qray.errors import ConfigError

#: experts a front-layer policy may imitate
EXPERTS = ("front-greedy", "front-search-<width>")


@dataclass(frozen=True)
class ImitationParams:
    """Behaviour cloning of a front-layer router before PPO (``env.mode: front`` only).

    Attributes:
        expert: the router imitated (``front-greedy``, ``front-search-<width>``); empty: no
            imitation, PPO starts from random weights.
        circuits: training circuits per map the expert routes (keys below the training
            limit, drawn from ``seed``: never an evaluation or validation circuit).
        epochs: passes over the demonstrations.
        lr: Adam learning rate.
        batch_size: records per gradient step.
        value_weight: weight of the value head's squared error next to the policy's
            cross-entropy.
        chunk: circuits per demonstration task (tasks run in parallel on the cluster).
    """

    expert: str = ""
    circuits: int = 200
    epochs: int = 30
    lr: float = 1e-3
    batch_size: int = 256
    value_weight: float = 0.5
    chunk: int = 25

    def __post_init__(self) -> None:
        if self.expert:
            expert_router(self.expert, "imitation.expert")
        require(isinstance(self.circuits, int) and self.circuits >= 1, "imitation.circuits",
                self.circuits, "an integer >= 1")
        require(isinstance(self.epochs, int) and self.epochs >= 1, "imitation.epochs",
                self.epochs, "an integer >= 1")
        require(0 < self.lr < 1, "imitation.lr", self.lr, "a learning rate in (0, 1)")
        require(isinstance(self.batch_size, int) and self.batch_size >= 1,
                "imitation.batch_size", self.batch_size, "an integer >= 1")
        require(self.value_weight >= 0, "imitation.value_weight", self.value_weight,
                "a number >= 0")
        require(isinstance(self.chunk, int) and self.chunk >= 1, "imitation.chunk",
                self.chunk, "an integer >= 1")


def expert_router(name: str, key: str = "imitation.expert") -> Any:
    """The front-layer router named ``name`` (a ``ConfigError`` naming ``key`` otherwise)."""
    from qray.routing.front.router import FrontLayerRouter
    from qray.routing.routers import make_router

    if isinstance(name, str) and (name == "front-greedy" or name.startswith("front-search-")):
        try:
            router = make_router(name, key=key)
        except ConfigError:
            router = None
        if isinstance(router, FrontLayerRouter):
            return router
    raise ConfigError(key, name, list(EXPERTS), problem="not a front-layer router:")


def demonstration_keys(seed: int, coupling_map: str, circuits: int) -> list[int]:
    """The training keys (distinct, below ``TRAIN_SEED_LIMIT``) of a map's demonstrations."""
    import zlib

    from qray.routing.circuits.benchmarks import TRAIN_SEED_LIMIT

    rng = np.random.default_rng([int(seed), zlib.crc32(coupling_map.encode())])
    return [int(k) for k in rng.choice(TRAIN_SEED_LIMIT, size=circuits, replace=False)]


def discounted(rewards: list[float], gamma: float) -> np.ndarray:
    """Each step's discounted return to the end of the episode."""
    out = np.zeros(len(rewards), dtype=np.float32)
    acc = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        acc = rewards[t] + gamma * acc
        out[t] = acc
    return out


def demonstrations(env_config: Any, expert: str, keys: list[int]) -> dict[str, np.ndarray]:
    """The expert's records on the training env's circuits of ``keys`` (``env.mode:
    front``): ``action_mask``, ``observations``, ``actions``, ``legal``, ``returns``, and
    per circuit ``expert_swaps``."""
    from qray.routing.learned.train_env import RoutingTrainEnv
    from qray.routing.learned.train_env import env_config as build_env_config

    cfg = build_env_config(env_config)
    require(cfg.mode == "front", "env.mode", cfg.mode, "front (imitation routes front layers)")
    router = expert_router(expert)
    env = RoutingTrainEnv(cfg)
    masks, observations, actions, legal, returns, swaps = [], [], [], [], [], []
    for key in keys:
        obs, _ = env.reset(seed=int(key), options={"key": int(key)})
        state = env.routing.state
        run = router.start(state)
        cap = env.routing.step_cap
        rewards: list[float] = []
        done = False
        while not done:
            edge = router.choose(run, cap)
            masks.append(obs["action_mask"])
            observations.append(obs["observations"])
            actions.append(edge)
            legal.append(bool(obs["action_mask"][edge] > 0))
            before = state.done_count
            obs, reward, terminated, truncated, _ = env.step(edge)
            rewards.append(float(reward))
            run.note(edge, state.done_count - before, release=False)
            done = terminated or truncated
        returns.append(discounted(rewards, cfg.gamma))
        swaps.append(state.swaps)
    n_actions = env.action_space.n
    return {
        "action_mask": np.asarray(masks, np.float32).reshape(-1, n_actions),
        "observations": np.asarray(observations, np.float32).reshape(-1, env.features.size),
        "actions": np.asarray(actions, np.int64),
        "legal": np.asarray(legal, bool),
        "returns": np.concatenate(returns) if returns else np.zeros(0, np.float32),
        "expert_swaps": np.asarray(swaps, np.int64),
    }
