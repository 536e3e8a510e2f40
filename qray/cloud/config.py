"""Config of the ``cloud`` sweep: schedulers x held-out seeded episodes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qray.cloud.env_config import MAX_TRAIN_SEED_LIMIT, CloudEnvConfig
from qray.cloud.evaluate import EVAL_SEED_BASE
from qray.cloud.heuristics import HEURISTICS
from qray.config import SweepConfig, as_list
from qray.errors import ConfigError

MAX_EPISODES = 1_000_000
MAX_EPISODES_PER_POINT = 100_000


@dataclass(frozen=True)
class CloudConfig(SweepConfig):
    """Evaluate schedulers on the same seeded episodes, one row per (scheduler, episode).

    Attributes:
        env: the quantum-cloud env (see ``CloudEnvConfig``).
        heuristics: heuristic schedulers (RoundRobin, Random, Greedy, GreedyError,
            FeasibleGreedy).
        policies: exported learned schedulers, name -> folder (``jobs/export_policy.py``).
        episodes: evaluation episodes per scheduler, in [1, 1e6].
        episodes_per_point: episodes per grid point (Tune trial and result file), in
            [1, 1e5].
        seed_base: key of the first episode; at least ``env.train_seed_limit`` so that no
            evaluation episode can have occurred in training (and at most 2**62 - episodes).
    """

    workload: str = "cloud"
    name: str = "cloud"
    env: CloudEnvConfig = field(default_factory=CloudEnvConfig)
    heuristics: list[str] = field(default_factory=lambda: list(HEURISTICS),
                                  metadata={"normalize": as_list})
    policies: dict[str, str] = field(default_factory=dict)
    episodes: int = 100
    episodes_per_point: int = 25
    seed_base: int = EVAL_SEED_BASE

    def __post_init__(self) -> None:
        super().__post_init__()
        for i, h in enumerate(self.heuristics):
            if h not in HEURISTICS:
                raise ConfigError(f"heuristics[{i}]", h, sorted(HEURISTICS),
                                  problem="unknown heuristic")
        resolved = {n: str(Path(p).expanduser().resolve()) for n, p in self.policies.items()}
        object.__setattr__(self, "policies", resolved)  # actors may run elsewhere (cwd)
        for name in self.policies:
            if name in HEURISTICS:
                raise ConfigError(f"policies.{name}", name, "a name that is not a heuristic's",
                                  problem="policy name clashes with a heuristic:")
        if not self.heuristics and not self.policies:
            raise ConfigError("heuristics", self.heuristics,
                              "at least one heuristic or one entry under policies")
        if not 1 <= self.episodes <= MAX_EPISODES:
            raise ConfigError("episodes", self.episodes, f"an integer in [1, {MAX_EPISODES}]")
        if not 1 <= self.episodes_per_point <= MAX_EPISODES_PER_POINT:
            raise ConfigError("episodes_per_point", self.episodes_per_point,
                              f"an integer in [1, {MAX_EPISODES_PER_POINT}]")
        if self.seed_base < self.env.train_seed_limit:
            raise ConfigError("seed_base", self.seed_base,
                              f"an integer >= env.train_seed_limit ({self.env.train_seed_limit}) "
                              "so evaluation episodes never occur in training")
        if self.seed_base + self.episodes > MAX_TRAIN_SEED_LIMIT:
            raise ConfigError("seed_base", self.seed_base,
                              f"an integer <= {MAX_TRAIN_SEED_LIMIT} - episodes")

    def schedulers(self) -> dict[str, str]:
        """Scheduler name -> its spec (heuristic name or ``policy:<folder>``)."""
        out = {h: h for h in self.heuristics}
        out.update({n: f"policy:{p}" for n, p in self.policies.items()})
        return out

    def env_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self.env)

    def result_keys(self) -> tuple[str, ...]:
        return ("workload", "env", "episodes", "seed_base")
