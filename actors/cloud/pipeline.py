"""``jobs/train_scheduler.py``'s pipeline: train (Tune + RLlib), pick, export, evaluate.

Each algorithm's Tune grid trains; every trial is exported and scored on validation
episodes (disjoint from training and from evaluation); the best is exported to
``policies/<ALGO>``. Then the ``cloud`` sweep evaluates the exported policies and every
heuristic on the held-out episodes, on SchedulerActors, as rows.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

import pandas as pd

from actors.cloud.training import TrainedTrial
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
from qray.cloud.evaluate import eval_seeds, evaluate
from qray.cloud.train_config import CloudTrainConfig
from qray.results.writer import write_text_atomic
from qray.tasks import content_hash

log = logging.getLogger(__name__)

#: validation episode keys (>= train_seed_limit, disjoint from evaluation's)
VALIDATION_SEED_BASE = 30_000_000


def validation_score(policy_dir: Path, cfg: CloudTrainConfig) -> float:
    """Mean total completion time of an exported policy on the validation episodes
    (infinite when any episode hit the step cap: such a policy loops on a small node)."""
    from qray.cloud.env import QuantumCloudEnv
    from qray.cloud.policy import load

    df = evaluate(QuantumCloudEnv(cfg.env), [load(policy_dir)],
                  eval_seeds(cfg.validation_episodes, VALIDATION_SEED_BASE))
    if df["truncated"].any():
        return float("inf")
    return float(df["total_completion"].mean())


def config_digest(algorithm: str, cfg: CloudTrainConfig) -> str:
    """What an algorithm's training depends on."""
    data = cfg.to_dict()
    return content_hash({"algorithm": algorithm, "env": data["env"], "seed": cfg.seed,
                         "timesteps": cfg.timesteps[algorithm],
                         "params": data[algorithm.lower()],
                         "num_env_runners": cfg.num_env_runners})[:16]


def fit_trials(algorithm: str, cfg: CloudTrainConfig, sweep_dir: Path,
               digest: str) -> tuple[list[TrainedTrial], float]:
    """Tune's trials of ``algorithm``: trained now, or read back from ``fit.json`` when a
    previous run finished training (its checkpoints are kept, never retrained)."""
    from actors.cloud.training import train

    storage = sweep_dir / "tune"
    fit_file = storage / algorithm / FIT_FILE
    saved = finished_fit(fit_file, digest)
    if saved:
        log.info("%s: training finished before; exporting its %d trial(s)", algorithm,
                 len(saved["trials"]))
        curves = pd.read_parquet(sweep_dir / "training" / f"{algorithm}.parquet")
        trials = [TrainedTrial(algorithm, t["trial_id"], t["lr"], Path(t["checkpoint"]),
                               curves[curves["trial_id"] == t["trial_id"]], t["train_seconds"])
                  for t in saved["trials"]]
        return trials, float(saved["wall_seconds"])
    shutil.rmtree(storage / algorithm, ignore_errors=True)  # an unfinished fit starts over
    t0 = time.perf_counter()
    trials = train(algorithm, cfg, storage)
    wall = time.perf_counter() - t0
    write_curves(sweep_dir / "training" / f"{algorithm}.parquet",
                 (({"algorithm": algorithm, "trial_id": t.trial_id, "lr": t.lr}, t.curve)
                  for t in trials))
    record_fit(fit_file, digest=digest, wall_seconds=wall,
               trials=[{"trial_id": t.trial_id, "lr": t.lr, "checkpoint": str(t.checkpoint),
                        "train_seconds": t.train_seconds} for t in trials])
    return trials, wall


def train_algorithm(algorithm: str, cfg: CloudTrainConfig, sweep_dir: Path) -> dict[str, Any]:
    """Train the grid, export each trial, keep the best on validation episodes."""
    from actors.cloud.export import export

    digest = config_digest(algorithm, cfg)
    final = sweep_dir / "policies" / algorithm
    saved = saved_for_digest(final / DONE_FILE, digest)
    if saved:
        log.info("%s already trained and exported in %s: skipped", algorithm, final)
        return saved
    trials, wall = fit_trials(algorithm, cfg, sweep_dir, digest)
    candidates = []
    for t in trials:
        out = sweep_dir / "policies" / "trials" / f"{algorithm}-{t.trial_id}"
        export(t.checkpoint, out, cfg.env, name=algorithm)
        score = validation_score(out, cfg)
        candidates.append((score, t, out))
        log.info("%s trial %s (lr %g): validation total completion %.1f s", algorithm,
                 t.trial_id, t.lr, score)
    score, best, _ = min(candidates, key=lambda c: c[0])
    meta = export(best.checkpoint, final, cfg.env, name=algorithm)
    info = {
        "algorithm": algorithm,
        "config_digest": digest,
        "best_trial": best.trial_id,
        "lr": best.lr,
        "validation_total_completion": score,
        "trials": [{"trial_id": t.trial_id, "lr": t.lr, "validation": s,
                    "train_seconds": t.train_seconds, "checkpoint": str(t.checkpoint)}
                   for s, t, _ in candidates],
        "timesteps": cfg.timesteps[algorithm],
        "wall_seconds": wall,
        "checked_observations": meta["checked_observations"],
    }
    write_text_atomic(json.dumps(info, indent=2), final / DONE_FILE)
    return info


def plot_curves(sweep_dir: Path) -> Path | None:
    files = sorted((sweep_dir / "training").glob("*.parquet"))
    if not files:
        return None
    from qray import plotstyle

    df = pd.concat([pd.read_parquet(f) for f in files])
    fig, axes = plotstyle.figure(width=7, height=4)
    ax = axes[0][0]
    for (algo, _trial, lr), g in df.groupby(["algorithm", "trial_id", "lr"]):
        ax.plot(g["env_steps"], g["episode_return_mean"], label=f"{algo} lr={lr:g}")
    ax.set_xlabel("env steps")
    ax.set_ylabel("mean episode return")
    ax.set_title("cloud scheduler training")
    ax.legend()
    path = sweep_dir / "training" / "curves.png"
    return plotstyle.save(fig, path)


def run_training(cfg: CloudTrainConfig) -> TrainingReport:
    """Train, export and evaluate as configured (resumable)."""
    from actors.runtime.driver import connect, run_sweep
    from qray.cloud.eval_config import CloudConfig
    from qray.tracking import tracked

    sweep_dir = cfg.sweep_dir
    eval_cfg = CloudConfig(  # validated before any training
        name="eval", sweep_id="eval", output_dir=str(sweep_dir), seed=cfg.seed,
        max_parallel=cfg.max_parallel, ray=cfg.ray, actor=cfg.actor, env=cfg.env,
        heuristics=list(cfg.heuristics), episodes=cfg.eval_episodes, **tracked(cfg))
    from qray.cloud.env import QuantumCloudEnv

    QuantumCloudEnv(cfg.env)  # builds (and caches) the circuit pool: QASM errors show here
    check_records(sweep_dir)  # a damaged fit.json or trained.json: refused before Ray starts
    started = connect(cfg)
    try:
        check_cpus(cfg)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(json.dumps(cfg.to_dict(), indent=2, default=str),
                          sweep_dir / "train_config.json")
        trained = {a: train_algorithm(a, cfg, sweep_dir) for a in cfg.algorithms}
        plot_curves(sweep_dir)
        eval_cfg = dataclasses.replace(
            eval_cfg, policies={a: str(sweep_dir / "policies" / a) for a in cfg.algorithms})
        report = run_sweep(eval_cfg)
    finally:
        if started:
            import ray

            ray.shutdown()
    lines = [f"# Cloud schedulers `{sweep_dir.name}`", "", "## Training", ""]
    for a, info in trained.items():
        lines.append(f"- **{a}**: {info['timesteps']} env steps per trial, "
                     f"{len(info['trials'])} trial(s), Tune wall {info['wall_seconds']:.0f} s; "
                     f"best lr {info['lr']:g} (validation {info['validation_total_completion']:.1f} s"
                     f" over {cfg.validation_episodes} episodes); exported to "
                     f"`policies/{a}` (actions = forward_inference on "
                     f"{info['checked_observations']} observations)")
    lines += ["", "## Evaluation", "", report.summary_md]
    md = "\n".join(lines) + "\n"
    write_text_atomic(md, sweep_dir / "training.md")
    return TrainingReport(sweep_dir, md, report.complete, trained)
