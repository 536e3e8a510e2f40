"""``jobs/train_router.py``'s pipeline: train (Tune + RLlib PPO), export, validate, evaluate.

One Tune experiment trains a masked PPO router per coupling map (x ``ppo.lr``). The best
trial of each map on validation circuits (keys disjoint from training and evaluation) is
exported to ``policies/<map>``; it must route every validation circuit within the step cap,
verified. Then the ``routing`` sweep compares the policies with the classical routers on
the held-out benchmark circuits, on the router actors (`qray/routing/<router>`), as rows. Reruns resume: a finished fit
is never retrained, exported maps are skipped, the sweep skips finished rows.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from actors.rl.fit import (
    DONE_FILE,
    FIT_FILE,
    TrainingReport,
    check_cpus,
    check_records,
    finished_fit,
    record_fit,
    saved_for_digest,
    write_curves,
)
from actors.routing.training import TrainedTrial
from qray.results.writer import write_text_atomic
from qray.routing.circuits.benchmarks import VALIDATION_SEED_BASE
from qray.routing.train_config import RouterTrainConfig
from qray.tasks import content_hash

log = logging.getLogger(__name__)


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


def fit(cfg: RouterTrainConfig, sweep_dir: Path, digest: str, maps: list[str]
        ) -> tuple[list[TrainedTrial], float]:
    from actors.routing.training import train

    storage = sweep_dir / "tune"
    fit_file = storage / "PPO" / FIT_FILE
    saved = finished_fit(fit_file, digest)
    if saved:
        log.info("training finished before; exporting its %d trial(s)", len(saved["trials"]))
        curves = pd.read_parquet(sweep_dir / "training" / "PPO.parquet")
        return [TrainedTrial(t["coupling_map"], t["trial_id"], t["lr"], Path(t["checkpoint"]),
                             curves[curves["trial_id"] == t["trial_id"]], t["train_seconds"])
                for t in saved["trials"]], float(saved["wall_seconds"])
    shutil.rmtree(storage / "PPO", ignore_errors=True)  # an unfinished fit starts over
    t0 = time.perf_counter()
    pretrained = None
    if cfg.imitation.expert:
        from actors.routing.imitation import pretrain_maps

        pretrained = pretrain_maps(cfg, sweep_dir, maps)
    trials = train(cfg, storage, maps, pretrained=pretrained)
    wall = time.perf_counter() - t0
    write_curves(sweep_dir / "training" / "PPO.parquet",
                 (({"coupling_map": t.coupling_map, "trial_id": t.trial_id, "lr": t.lr},
                   t.curve) for t in trials))
    record_fit(fit_file, digest=digest, wall_seconds=wall,
               trials=[{"coupling_map": t.coupling_map, "trial_id": t.trial_id, "lr": t.lr,
                        "checkpoint": str(t.checkpoint), "train_seconds": t.train_seconds}
                       for t in trials])
    return trials, wall


def train_maps(cfg: RouterTrainConfig, sweep_dir: Path) -> dict[str, Any]:
    """Train (or resume), export and validate one policy per map."""
    from actors.routing.export import export

    digest = config_digest(cfg)
    done = {m: saved_for_digest(sweep_dir / "policies" / m / DONE_FILE, digest) for m in cfg.maps}
    todo = [m for m, d in done.items() if d is None]
    if not todo:
        log.info("every map's router is trained and exported: skipped")
        return {m: d for m, d in done.items()}
    trials, wall = fit(cfg, sweep_dir, digest, list(cfg.maps))
    out: dict[str, Any] = {m: d for m, d in done.items() if d is not None}
    for m in todo:
        candidates = []
        for t in (t for t in trials if t.coupling_map == m):
            folder = sweep_dir / "policies" / "trials" / f"{m}-{t.trial_id}"
            export(t.checkpoint, folder, cfg.env_for(m), name="ppo")
            v = validate(folder, cfg, m)
            candidates.append((-v["routed"], v["mean_swaps"], t, v))
            log.info("%s trial %s (lr %g): %d/%d validation circuits routed, mean SWAPs %.1f",
                     m, t.trial_id, t.lr, v["routed"], v["circuits"], v["mean_swaps"])
        if not candidates:
            raise RuntimeError(f"no trained trial for {m}")
        _, _, best, v = min(candidates, key=lambda c: (c[0], c[1]))
        if v["routed"] < v["circuits"]:
            raise RuntimeError(f"{m}: the best router routed only {v['routed']} of "
                               f"{v['circuits']} validation circuits within the step cap; "
                               "train longer (timesteps)")
        meta = export(best.checkpoint, sweep_dir / "policies" / m, cfg.env_for(m), name="ppo")
        info = {"coupling_map": m, "config_digest": digest, "best_trial": best.trial_id,
                "lr": best.lr, "validation": v, "timesteps": cfg.timesteps,
                "wall_seconds": wall, "train_seconds": best.train_seconds,
                "checked_observations": meta["checked_observations"]}
        write_text_atomic(json.dumps(info, indent=2), sweep_dir / "policies" / m / DONE_FILE)
        out[m] = info
    return out


def plot_curves(sweep_dir: Path) -> Path | None:
    path = sweep_dir / "training" / "PPO.parquet"
    if not path.is_file():
        return None
    from qray import plotstyle

    df = pd.read_parquet(path)
    fig, axes = plotstyle.figure(width=7, height=4)
    ax = axes[0][0]
    for (cmap, lr), g in df.groupby(["coupling_map", "lr"]):
        ax.plot(g["env_steps"], g["episode_len_mean"], label=f"{cmap} lr={lr:g}")
    ax.set_xlabel("env steps")
    ax.set_ylabel("mean episode length (gates + SWAPs)")
    ax.set_title("router training (PPO, masked)")
    ax.legend()
    out = sweep_dir / "training" / "curves.png"
    return plotstyle.save(fig, out)


def run_training(cfg: RouterTrainConfig) -> TrainingReport:
    """Train, export, validate and evaluate as configured (resumable)."""
    from actors.runtime.driver import connect, run_sweep

    sweep_dir = cfg.sweep_dir
    check_records(sweep_dir)  # a damaged fit.json or trained.json: refused before Ray starts
    started = connect(cfg)
    try:
        check_cpus(cfg)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(json.dumps(cfg.to_dict(), indent=2, default=str),
                          sweep_dir / "train_config.json")
        trained = train_maps(cfg, sweep_dir)
        plot_curves(sweep_dir)
        eval_cfg = cfg.eval_config({m: str(sweep_dir / "policies" / m) for m in cfg.maps})
        report = run_sweep(eval_cfg)
    finally:
        if started:
            import ray

            ray.shutdown()
    lines = [f"# Learned routers `{sweep_dir.name}`", "", "## Training", ""]
    from actors.routing.imitation import report as imitation_report

    for m, info in trained.items():
        im = imitation_report(sweep_dir, m) if cfg.imitation.expert else None
        if im:
            lines.append(f"- **{m}**: imitation of {im['expert']} on {im['circuits']} "
                         f"circuits (expert mean SWAPs {im['expert_mean_swaps']:.1f}), "
                         f"{im['records']} records, held-out accuracy "
                         f"{im['held_out_accuracy']:.3f}, fit {im['fit_seconds']:.0f} s")
        v = info["validation"]
        lines.append(f"- **{m}**: PPO (masked, shared edge scorer), {info['timesteps']} env "
                     f"steps, trial {info['train_seconds']:.0f} s, lr {info['lr']:g}; "
                     f"validation: {v['routed']}/{v['circuits']} circuits routed and verified, "
                     f"mean SWAPs {v['mean_swaps']:.1f}; exported to `policies/{m}` (actions = "
                     f"forward_inference on {info['checked_observations']} observations)")
    lines += ["", "## Evaluation", "", report.summary_md]
    md = "\n".join(lines) + "\n"
    write_text_atomic(md, sweep_dir / "training.md")
    return TrainingReport(sweep_dir, md, report.complete, trained)
