"""Config of ``jobs/train_router.py`` (workload ``routing_train``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from qray.config import SweepConfig, as_list, canonical_list, require
from qray.rl.params import PPOParams
from qray.routing.circuits.graphs import canonical_map
from qray.routing.learned.imitation import ImitationParams
from qray.routing.learned.train_env import RouterEnvConfig


@dataclass(frozen=True)
class RouterTrainConfig(SweepConfig):
    """Train one masked-PPO router per coupling map through Tune, export, evaluate.

    Attributes:
        maps: coupling maps; one Tune trial (and one exported policy) per map.
        env: the training env (its ``coupling_map`` is set per map).
        timesteps: env steps each trial trains for.
        ppo: RLlib PPO settings (``lr`` is a Tune grid).
        imitation: behaviour cloning of a front-layer router before PPO (``expert``;
            ``env.mode: front`` only): PPO fine-tunes the cloned policy.
        num_env_runners: RLlib env runners per trial (0: sample in the trial's process).
        validation_circuits: held-out random circuits per map (keys disjoint from training
            and evaluation) that the exported policy must route (all verified) within the
            step cap before it is evaluated.
        evaluation: settings of the ``routing`` sweep run at the end (``RoutingConfig``
            keys; ``maps`` and ``policies`` come from training).
    """

    workload: str = "routing_train"
    name: str = "router"
    maps: list[str] = field(default_factory=lambda: ["grid-5x5", "heavy-hex-19", "line-25"],
                            metadata={"normalize": as_list})
    env: RouterEnvConfig = field(default_factory=RouterEnvConfig)
    timesteps: int = 100_000
    ppo: PPOParams = field(default_factory=lambda: PPOParams(gamma=0.99))
    imitation: ImitationParams = field(default_factory=ImitationParams)
    num_env_runners: int = 0
    validation_circuits: int = 20
    evaluation: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        require(bool(self.maps), "maps", self.maps, "a non-empty list of coupling maps")
        # one map spelled two ways is one trial: names are canonical
        object.__setattr__(self, "maps", canonical_list(self.maps, "maps", canonical_map))
        for m in self.maps:
            self.env_for(m)
        require(isinstance(self.timesteps, int) and self.timesteps >= 1, "timesteps",
                self.timesteps, "an integer >= 1")
        require(not self.imitation.expert or self.env.mode == "front", "imitation.expert",
                self.imitation.expert, "empty unless env.mode is front (the experts route "
                "front layers)")
        require(self.num_env_runners >= 0, "num_env_runners", self.num_env_runners,
                "an integer >= 0")
        require(self.validation_circuits >= 1, "validation_circuits", self.validation_circuits,
                "an integer >= 1")
        bad = {"maps", "policies", "workload"} & set(self.evaluation)
        require(not bad, f"evaluation.{sorted(bad)[0] if bad else ''}",
                self.evaluation.get(sorted(bad)[0]) if bad else None,
                "no maps/policies/workload (training sets them)")
        self.eval_config({m: "." for m in self.maps})  # validated before any training

    def env_for(self, coupling_map: str) -> RouterEnvConfig:
        """The training env of ``coupling_map``; its shaping discounts with PPO's gamma, so
        the shaping stays potential-based (errors name ``env.*``)."""
        return dataclasses.replace(self.env, coupling_map=coupling_map, gamma=self.ppo.gamma)

    def eval_config(self, policies: dict[str, str]) -> Any:
        from qray.config import build
        from qray.routing.config import RoutingConfig
        from qray.tracking import tracked

        data = {"name": "eval", "sweep_id": "eval", "output_dir": str(self.sweep_dir),
                "seed": self.seed, "max_parallel": self.max_parallel, **self.evaluation,
                "maps": list(self.maps), "policies": dict(policies), **tracked(self)}
        cfg = build(RoutingConfig, data, prefix="evaluation.")
        return dataclasses.replace(
            cfg, ray=self.ray, actor=cfg.actor if "actor" in self.evaluation else self.actor,
            resources=cfg.resources if "resources" in self.evaluation else self.resources)
