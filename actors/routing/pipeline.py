"""``jobs/train_router.py``'s hooks of the RL pipeline (:mod:`actors.rl.pipeline`).

One Tune experiment (``tune/PPO``) trains a masked PPO router per coupling map (x
``ppo.lr``), warm-started by imitation when ``imitation.expert`` is set. The best trial of
each map on validation circuits (keys disjoint from training and evaluation) is exported
to ``policies/<map>``; it must route every validation circuit within the step cap,
verified. Then the ``routing`` sweep compares the policies with the classical routers on
the held-out benchmark circuits, as rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from actors.rl import pipeline
from actors.rl.fit import TrainingReport
from actors.rl.tune_fit import TrainedTrial
from qray.errors import ConfigError
from qray.routing.circuits.benchmarks import VALIDATION_SEED_BASE
from qray.routing.train_config import RouterTrainConfig
from qray.tasks import content_hash


def config_digest(cfg: RouterTrainConfig) -> str:
    from qray.routing.qgym.features import FEATURES_VERSION

    data = cfg.to_dict()
    return content_hash({"features": FEATURES_VERSION, "maps": data["maps"],
                         "env": data["env"], "ppo": data["ppo"],
                         "seed": cfg.seed, "timesteps": cfg.timesteps,
                         "num_env_runners": cfg.num_env_runners,
                         **({"imitation": data["imitation"]} if cfg.imitation.expert
                            else {})})[:16]


def validate(policy_dir: Path, cfg: RouterTrainConfig, coupling_map: str) -> dict[str, Any]:
    """Route ``validation_circuits`` held-out random circuits with the exported policy:
    how many were routed within the step cap and verified, and the mean SWAPs."""
    from qray.routing.bridge import RoutingFailedError, route
    from qray.routing.circuits.benchmarks import benchmark_circuit
    from qray.routing.circuits.graphs import coupling_graph
    from qray.routing.circuits.verify import verify
    from qray.routing.learned.policy import load_policy

    graph = coupling_graph(coupling_map)
    policy = load_policy(policy_dir, graph)
    swaps, ok = [], 0
    for i in range(cfg.validation_circuits):
        n = cfg.env.n_qubits[i % len(cfg.env.n_qubits)]
        g = cfg.env.gates[i % len(cfg.env.gates)]
        qc = benchmark_circuit("random", n, VALIDATION_SEED_BASE + i, g)
        try:
            result = route(qc, graph, policy, max_steps=cfg.env.max_steps)
        except RoutingFailedError:
            continue
        if verify(qc, result, graph, operator_max_qubits=0).ok:
            ok += 1
            swaps.append(result.swaps)
    return {"routed": ok, "circuits": cfg.validation_circuits,
            "mean_swaps": float(np.mean(swaps)) if swaps else float("inf")}


class RoutingHooks:
    title = "Learned routers"
    unit_key = "coupling_map"
    curve_metric = "episode_len_mean"
    curve_label = "mean episode length (gates + SWAPs)"
    curve_title = "router training (PPO, masked)"

    def precheck(self, cfg: RouterTrainConfig) -> None:
        """The evaluation config was checked when ``cfg`` was built."""

    def fits(self, cfg: RouterTrainConfig) -> dict[str, list[str]]:
        return {"PPO": list(cfg.maps)}

    def digest(self, cfg: RouterTrainConfig, fit: str) -> str:
        return config_digest(cfg)

    def timesteps(self, cfg: RouterTrainConfig, fit: str) -> int:
        return int(cfg.timesteps)

    def train(self, cfg: RouterTrainConfig, sweep_dir: Path, fit: str, units: list[str]
              ) -> list[TrainedTrial]:
        from actors.routing.training import train

        pretrained = None
        if cfg.imitation.expert:
            from actors.routing.imitation import pretrain_maps

            pretrained = pretrain_maps(cfg, sweep_dir, units)
        return train(cfg, sweep_dir / "tune", units, pretrained=pretrained)

    def export(self, checkpoint: Path, folder: Path, cfg: RouterTrainConfig, unit: str
               ) -> dict[str, Any]:
        from actors.routing.export import export

        return export(checkpoint, folder, cfg.env_for(unit), name="ppo")

    def validate(self, folder: Path, cfg: RouterTrainConfig, unit: str
                 ) -> pipeline.Validation:
        v = validate(folder, cfg, unit)
        refusal = None
        if v["routed"] < v["circuits"]:
            refusal = ConfigError(
                "timesteps", cfg.timesteps, "enough env steps that the best trial routes "
                "every validation circuit within the step cap (train longer)",
                problem=f"{unit}: the best router routed only {v['routed']} of "
                        f"{v['circuits']} validation circuits after")
        return pipeline.Validation(
            (-v["routed"], v["mean_swaps"]), v,
            f"{v['routed']}/{v['circuits']} validation circuits routed, mean SWAPs "
            f"{v['mean_swaps']:.1f}", refusal)

    def eval_config(self, cfg: RouterTrainConfig, policies: dict[str, str]) -> Any:
        return cfg.eval_config(policies)

    def describe(self, sweep_dir: Path, cfg: RouterTrainConfig, unit: str,
                 info: dict[str, Any]) -> list[str]:
        from actors.routing.imitation import report as imitation_report

        lines = []
        im = imitation_report(sweep_dir, unit) if cfg.imitation.expert else None
        if im:
            lines.append(f"- **{unit}**: imitation of {im['expert']} on {im['circuits']} "
                         f"circuits (expert mean SWAPs {im['expert_mean_swaps']:.1f}), "
                         f"{im['records']} records, held-out accuracy "
                         f"{im['held_out_accuracy']:.3f}, fit {im['fit_seconds']:.0f} s")
        v = info["validation"]
        lines.append(f"- **{unit}**: PPO (masked, shared edge scorer), {info['timesteps']} "
                     f"env steps, trial {info['train_seconds']:.0f} s, lr {info['lr']:g}; "
                     f"validation: {v['routed']}/{v['circuits']} circuits routed and "
                     f"verified, mean SWAPs {v['mean_swaps']:.1f}; exported to "
                     f"`policies/{unit}` (actions = forward_inference on "
                     f"{info['checked_observations']} observations)")
        return lines


HOOKS = RoutingHooks()


def run_training(cfg: RouterTrainConfig) -> TrainingReport:
    """Train, export, validate and evaluate as configured (resumable)."""
    return pipeline.run_training(HOOKS, cfg)
