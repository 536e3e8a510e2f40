"""Config of ``jobs/train_scheduler.py`` (workload ``cloud_train``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qray.cloud.env_config import CloudEnvConfig
from qray.cloud.evaluate import EVAL_SEED_BASE
from qray.cloud.heuristics import HEURISTICS
from qray.config import SweepConfig, as_list, require
from qray.rl.params import DQNParams, PPOParams

ALGORITHMS = ("DQN", "PPO")


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
