"""Config of ``jobs/train_scheduler.py`` (workload ``cloud_train``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qray.cloud.config import CloudEnvConfig
from qray.cloud.evaluate import EVAL_SEED_BASE
from qray.cloud.heuristics import HEURISTICS
from qray.config import SweepConfig, as_list, require

ALGORITHMS = ("DQN", "PPO")


def _check_lrs(key: str, lrs: list[float]) -> None:
    require(bool(lrs), key, lrs, "a non-empty list of learning rates (a Tune grid)")
    for i, lr in enumerate(lrs):
        require(0 < lr < 1, f"{key}[{i}]", lr, "a learning rate in (0, 1)")


@dataclass(frozen=True)
class DQNParams:
    """RLlib DQN (new API stack): distributional C51, prioritized episode replay, n-step,
    double Q, dueling heads. ``lr`` is a Tune grid."""

    lr: list[float] = field(default_factory=lambda: [5e-4], metadata={"normalize": as_list})
    gamma: float = 0.5
    num_atoms: int = 10
    v_min: float = -10.0
    v_max: float = 1.0
    n_step: int = 3
    double_q: bool = True
    dueling: bool = True
    hiddens: list[int] = field(default_factory=lambda: [128, 128])
    buffer_capacity: int = 50_000
    alpha: float = 0.6
    beta: float = 0.4
    train_batch_size: int = 64
    target_network_update_freq: int = 500
    epsilon_timesteps: int = 10_000
    final_epsilon: float = 0.02
    learning_starts: int = 1000
    training_intensity: float | None = None

    def __post_init__(self) -> None:
        _check_lrs("dqn.lr", self.lr)
        require(0 <= self.gamma <= 1, "dqn.gamma", self.gamma, "a number in [0, 1]")
        require(self.num_atoms >= 1, "dqn.num_atoms", self.num_atoms, "an integer >= 1")
        require(self.v_min < self.v_max, "dqn.v_min", self.v_min, f"a number < dqn.v_max ({self.v_max})")
        require(self.n_step >= 1, "dqn.n_step", self.n_step, "an integer >= 1")
        require(bool(self.hiddens) and all(h >= 1 for h in self.hiddens), "dqn.hiddens",
               self.hiddens, "a non-empty list of layer sizes >= 1")
        require(self.buffer_capacity >= self.train_batch_size, "dqn.buffer_capacity",
               self.buffer_capacity, "an integer >= dqn.train_batch_size")
        require(self.train_batch_size >= 1, "dqn.train_batch_size", self.train_batch_size,
               "an integer >= 1")
        require(0 < self.final_epsilon <= 1, "dqn.final_epsilon", self.final_epsilon,
               "a number in (0, 1]")
        require(0 <= self.alpha <= 1, "dqn.alpha", self.alpha, "a number in [0, 1]")
        require(0 <= self.beta <= 1, "dqn.beta", self.beta, "a number in [0, 1]")
        require(self.target_network_update_freq >= 1, "dqn.target_network_update_freq",
               self.target_network_update_freq, "an integer >= 1")
        require(self.epsilon_timesteps >= 1, "dqn.epsilon_timesteps", self.epsilon_timesteps,
               "an integer >= 1")
        require(self.learning_starts >= 0, "dqn.learning_starts", self.learning_starts,
               "an integer >= 0")
        require(self.training_intensity is None or self.training_intensity > 0,
               "dqn.training_intensity", self.training_intensity, "null or a number > 0")


@dataclass(frozen=True)
class PPOParams:
    """RLlib PPO (new API stack), the on-policy actor-critic that replaces A2C (removed
    from RLlib). ``lr`` is a Tune grid."""

    lr: list[float] = field(default_factory=lambda: [3e-4], metadata={"normalize": as_list})
    gamma: float = 0.5
    lambda_: float = 0.95
    train_batch_size: int = 2000
    minibatch_size: int = 250
    num_epochs: int = 10
    entropy_coeff: float = 0.01
    hiddens: list[int] = field(default_factory=lambda: [128, 128])

    def __post_init__(self) -> None:
        _check_lrs("ppo.lr", self.lr)
        require(0 <= self.gamma <= 1, "ppo.gamma", self.gamma, "a number in [0, 1]")
        require(0 <= self.lambda_ <= 1, "ppo.lambda_", self.lambda_, "a number in [0, 1]")
        require(1 <= self.minibatch_size <= self.train_batch_size, "ppo.minibatch_size",
               self.minibatch_size, "an integer in [1, ppo.train_batch_size]")
        require(self.num_epochs >= 1, "ppo.num_epochs", self.num_epochs, "an integer >= 1")
        require(self.entropy_coeff >= 0, "ppo.entropy_coeff", self.entropy_coeff, "a number >= 0")
        require(bool(self.hiddens) and all(h >= 1 for h in self.hiddens), "ppo.hiddens",
               self.hiddens, "a non-empty list of layer sizes >= 1")


@dataclass(frozen=True)
class CloudTrainConfig(SweepConfig):
    """Train learned schedulers with RLlib through Tune, export them, evaluate them.

    Attributes:
        env: the quantum-cloud env (see ``CloudEnvConfig``).
        algorithms: DQN and/or PPO.
        timesteps: env steps each trial trains for, per algorithm.
        dqn, ppo: algorithm settings; their ``lr`` lists are Tune grids.
        num_env_runners: RLlib env runners per trial (0: sample in the trial's process).
        validation_episodes: seeded episodes (disjoint from training and evaluation) that
            pick the best trial of each algorithm.
        eval_episodes: held-out seeded episodes of the final comparison.
        heuristics: heuristic schedulers evaluated on the same episodes.
    """

    workload: str = "cloud_train"
    name: str = "scheduler"
    env: CloudEnvConfig = field(default_factory=CloudEnvConfig)
    algorithms: list[str] = field(default_factory=lambda: ["DQN", "PPO"],
                                  metadata={"normalize": as_list})
    timesteps: dict[str, int] = field(default_factory=lambda: {"DQN": 40_000, "PPO": 100_000})
    dqn: DQNParams = field(default_factory=DQNParams)
    ppo: PPOParams = field(default_factory=PPOParams)
    num_env_runners: int = 0
    validation_episodes: int = 20
    eval_episodes: int = 100
    heuristics: list[str] = field(default_factory=lambda: list(HEURISTICS),
                                  metadata={"normalize": as_list})

    def __post_init__(self) -> None:
        super().__post_init__()
        require(bool(self.algorithms), "algorithms", self.algorithms, f"some of {list(ALGORITHMS)}")
        for i, a in enumerate(self.algorithms):
            require(a in ALGORITHMS, f"algorithms[{i}]", a, f"one of {list(ALGORITHMS)}")
        for a in self.algorithms:
            require(self.timesteps.get(a, 0) >= 1, f"timesteps.{a}", self.timesteps.get(a),
                   "a number of env steps >= 1 for every algorithm trained")
        for a in self.timesteps:
            require(a in ALGORITHMS, f"timesteps.{a}", a, f"one of {list(ALGORITHMS)}")
        for i, h in enumerate(self.heuristics):
            require(h in HEURISTICS, f"heuristics[{i}]", h, f"one of {sorted(HEURISTICS)}")
        require(self.num_env_runners >= 0, "num_env_runners", self.num_env_runners,
               "an integer >= 0")
        require(self.validation_episodes >= 1, "validation_episodes", self.validation_episodes,
               "an integer >= 1")
        require(self.eval_episodes >= 2, "eval_episodes", self.eval_episodes, "an integer >= 2")
        require(not self.env.action_mask, "env.action_mask", self.env.action_mask,
               "false for training (RLlib's default DQN/PPO modules take the flat "
               "observation; infeasible nodes are learned through the reschedule penalty)")
        require(self.env.train_seed_limit <= EVAL_SEED_BASE, "env.train_seed_limit",
               self.env.train_seed_limit,
               f"at most {EVAL_SEED_BASE} (validation and evaluation episodes start there)")
        require(0 <= self.seed < self.env.train_seed_limit - 10_000, "seed", self.seed,
               "an integer in [0, env.train_seed_limit - 10000) so RLlib's seeded first "
               "episodes are training episodes")

    def result_keys(self) -> tuple[str, ...]:
        return ("workload", "seed", "env", "algorithms", "timesteps", "dqn", "ppo")
