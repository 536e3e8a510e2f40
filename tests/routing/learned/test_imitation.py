"""The expert's demonstrations are the training env's own episodes, and bad imitation
settings are refused by key."""

from __future__ import annotations

import numpy as np
import pytest

from qray.config import build
from qray.errors import ConfigError
from qray.routing.circuits.benchmarks import TRAIN_SEED_LIMIT
from qray.routing.learned.imitation import (
    ImitationParams,
    demonstration_keys,
    demonstrations,
    discounted,
    expert_router,
)
from qray.routing.learned.train_env import RoutingTrainEnv

ENV_SMALL = {"n_qubits": [5], "gates": [10]}
EVAL_SMALL = {"sizes": [5]}
ENV = {"coupling_map": "grid-3x3", "mode": "front", "n_qubits": [5, 7], "gates": [15],
       "shaping": 1.0, "gamma": 0.9}


def test_keys_are_training_keys_distinct_and_seeded() -> None:
    keys = demonstration_keys(0, "grid-5x5", 50)
    assert len(set(keys)) == 50 and all(0 <= k < TRAIN_SEED_LIMIT for k in keys)
    assert keys == demonstration_keys(0, "grid-5x5", 50)
    assert keys != demonstration_keys(1, "grid-5x5", 50)
    assert keys != demonstration_keys(0, "heavy-hex-19", 50)


def test_discounted_returns() -> None:
    np.testing.assert_allclose(discounted([1.0, 2.0, 3.0], 0.5), [2.75, 3.5, 3.0])


def test_demonstrations_replay_in_the_training_env() -> None:
    keys = demonstration_keys(3, "grid-3x3", 4)
    data = demonstrations(ENV, "front-search-2", keys)
    n = len(data["actions"])
    assert n == len(data["returns"]) == len(data["legal"]) == data["observations"].shape[0]
    assert data["action_mask"].shape == (n, 13) and len(data["expert_swaps"]) == 4
    assert data["legal"].mean() > 0.9
    legal = data["legal"]
    assert (data["action_mask"][np.arange(n), data["actions"]][legal] == 1).all()
    # replaying the recorded SWAPs in a fresh env gives the same observations, rewards
    # (whose discounted sums are the recorded returns) and SWAP counts
    env = RoutingTrainEnv(ENV)
    i = 0
    for key, swaps in zip(keys, data["expert_swaps"], strict=True):
        obs, _ = env.reset(seed=key, options={"key": key})
        rewards, done = [], False
        start = i
        while not done:
            np.testing.assert_array_equal(obs["observations"], data["observations"][i])
            obs, r, term, trunc, _ = env.step(int(data["actions"][i]))
            rewards.append(r)
            done = term or trunc
            i += 1
        assert term and env.routing.state.swaps == swaps == i - start
        np.testing.assert_allclose(data["returns"][start:i], discounted(rewards, 0.9),
                                   rtol=1e-5)
    assert i == n


def test_the_expert_imitates_the_classical_search() -> None:
    # search-4 needs no more SWAPs than greedy on these circuits (it keeps the best rollout)
    keys = demonstration_keys(0, "grid-3x3", 6)
    greedy = demonstrations(ENV, "front-greedy", keys)["expert_swaps"].sum()
    search = demonstrations(ENV, "front-search-4", keys)["expert_swaps"].sum()
    assert search <= greedy


@pytest.mark.parametrize(("data", "key"), [
    ({"expert": "sabre-20"}, "imitation.expert"),
    ({"expert": "front-search-x"}, "imitation.expert"),
    ({"expert": "front-greedy", "circuits": 0}, "imitation.circuits"),
    ({"epochs": 0}, "imitation.epochs"),
    ({"lr": 2.0}, "imitation.lr"),
    ({"value_weight": -1}, "imitation.value_weight"),
])
def test_bad_imitation_settings_name_the_key(data: dict, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        build(ImitationParams, data, prefix="imitation.")


def test_imitation_needs_the_front_layer_mode(tmp_path) -> None:
    from qray.routing.train_config import RouterTrainConfig

    with pytest.raises(ConfigError, match=r"imitation\.expert"):
        build(RouterTrainConfig, {"maps": ["grid-3x3"], "output_dir": str(tmp_path), "evaluation": EVAL_SMALL,
                                  "env": ENV_SMALL, "imitation": {"expert": "front-search-2"}},
              prefix="")
    cfg = build(RouterTrainConfig, {"maps": ["grid-3x3"], "output_dir": str(tmp_path), "evaluation": EVAL_SMALL,
                                    "env": {**ENV_SMALL, "mode": "front"},
                                    "imitation": {"expert": "front-search-2"}},
              prefix="")
    assert expert_router(cfg.imitation.expert).width == 2
