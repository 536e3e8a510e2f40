"""The training env under the path RLlib checkpoints pickle (``qray.routing.train_env``);
new code imports ``qray.routing.learned.train_env``."""

from qray.routing.learned.train_env import RouterEnvConfig, RoutingTrainEnv, env_config

__all__ = ["RouterEnvConfig", "RoutingTrainEnv", "env_config"]
