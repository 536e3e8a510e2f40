"""RLlib settings shared by the training configs: errors name the key under its section."""

from __future__ import annotations

import pytest

from qray.config import build
from qray.errors import ConfigError
from qray.rl.params import DQNParams, PPOParams


@pytest.mark.parametrize(("cls", "data", "key"), [
    (PPOParams, {"lr": [0.1, 2.0]}, "ppo.lr[1]"),
    (PPOParams, {"lr": []}, "ppo.lr"),
    (PPOParams, {"hiddens": [0]}, "ppo.hiddens"),
    (DQNParams, {"lr": 0.0}, "dqn.lr[0]"),
    (DQNParams, {"hiddens": []}, "dqn.hiddens"),
])
def test_bad_params_name_their_key(cls: type, data: dict, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        build(cls, data, prefix=key.split(".")[0] + ".")
    assert info.value.key == key


def test_both_training_configs_use_the_shared_params() -> None:
    from qray.cloud.train_config import CloudTrainConfig
    from qray.cloud.train_config import PPOParams as CloudPPO
    from qray.routing.train_config import RouterTrainConfig

    assert CloudPPO is PPOParams
    assert type(RouterTrainConfig().ppo) is PPOParams and RouterTrainConfig().ppo.gamma == 0.99
    assert type(CloudTrainConfig().dqn) is DQNParams
