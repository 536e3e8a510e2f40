"""The RL training pipeline behind ``qray train``: fit (or resume), export every trial,
validate it, keep the best per unit, plot the curves, run the evaluation sweep and write
``training.md``. A workload supplies only its :class:`Hooks`.

A *fit* is one Tune experiment (``tune/<fit>/``); a *unit* is what one exported policy
is for (``policies/<unit>/``): cloud fits each algorithm for its own policy, routing fits
one experiment over the coupling maps and keeps one policy per map. Every record carries
the digest of the config it was made for, so a rerun resumes and a changed config in the
same folder is refused (:mod:`actors.rl.fit`).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

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
from actors.rl.tune_fit import TrainedTrial
from qray.errors import QrayError
from qray.results.writer import write_text_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Validation:
    """An exported trial scored on validation data (never training or evaluation data)."""

    rank: tuple[float, ...]  # the best trial has the lowest
    record: dict[str, Any]  # what trained.json keeps
    text: str  # the log line's figures
    #: why this trial, were it the best, cannot be kept: the error to raise instead
    refusal: Exception | None = field(default=None, compare=False)


class Hooks(Protocol):
    """What a workload gives the pipeline."""

    title: str  # training.md's heading: "Cloud schedulers"
    unit_key: str  # the unit's column and record key: "algorithm", "coupling_map"
    curve_metric: str  # the learning curve's y column
    curve_label: str
    curve_title: str

    def precheck(self, cfg: Any) -> None:
        """Everything checkable before Ray starts (the evaluation config included)."""

    def fits(self, cfg: Any) -> dict[str, list[str]]:
        """Each Tune experiment's name and the units it trains."""

    def digest(self, cfg: Any, fit: str) -> str:
        """What a fit depends on."""

    def timesteps(self, cfg: Any, fit: str) -> int: ...

    def train(self, cfg: Any, sweep_dir: Path, fit: str, units: list[str]
              ) -> list[TrainedTrial]:
        """Run the fit's Tune experiment under ``sweep_dir / "tune"``."""

    def export(self, checkpoint: Path, folder: Path, cfg: Any, unit: str) -> dict[str, Any]:
        """Write a policy folder from a checkpoint; returns its metadata."""

    def validate(self, folder: Path, cfg: Any, unit: str) -> Validation: ...

    def eval_config(self, cfg: Any, policies: dict[str, str]) -> Any:
        """The evaluation sweep's config, given each unit's policy folder."""

    def describe(self, sweep_dir: Path, cfg: Any, unit: str, info: dict[str, Any]
                 ) -> list[str]:
        """training.md's lines for a unit."""


def fit_or_resume(hooks: Hooks, cfg: Any, sweep_dir: Path, fit: str, digest: str,
                  units: list[str]) -> tuple[list[TrainedTrial], float]:
    """The fit's trials: trained now, or read back from ``fit.json`` when a previous run
    finished it (its checkpoints are kept, never retrained)."""
    storage = sweep_dir / "tune"
    fit_file = storage / fit / FIT_FILE
    curves_file = sweep_dir / "training" / f"{fit}.parquet"
    saved = finished_fit(fit_file, digest)
    if saved:
        log.info("%s: training finished before; exporting its %d trial(s)", fit,
                 len(saved["trials"]))
        curves = pd.read_parquet(curves_file)
        return [TrainedTrial(t.get(hooks.unit_key, fit), t["trial_id"], t["lr"],
                             Path(t["checkpoint"]),
                             curves[curves["trial_id"] == t["trial_id"]], t["train_seconds"])
                for t in saved["trials"]], float(saved["wall_seconds"])
    shutil.rmtree(storage / fit, ignore_errors=True)  # an unfinished fit starts over
    t0 = time.perf_counter()
    trials = hooks.train(cfg, sweep_dir, fit, units)
    wall = time.perf_counter() - t0
    write_curves(curves_file, (({hooks.unit_key: t.unit, "trial_id": t.trial_id, "lr": t.lr},
                                t.curve) for t in trials))
    record_fit(fit_file, digest=digest, wall_seconds=wall,
               trials=[{hooks.unit_key: t.unit, "trial_id": t.trial_id, "lr": t.lr,
                        "checkpoint": str(t.checkpoint), "train_seconds": t.train_seconds}
                       for t in trials])
    return trials, wall


def keep_best(hooks: Hooks, cfg: Any, sweep_dir: Path, unit: str, trials: list[TrainedTrial],
              digest: str, wall: float, timesteps: int) -> dict[str, Any]:
    """Export and validate each of the unit's trials; export the best to
    ``policies/<unit>`` and record it in its ``trained.json``."""
    scored = []
    for t in trials:
        folder = sweep_dir / "policies" / "trials" / f"{unit}-{t.trial_id}"
        hooks.export(t.checkpoint, folder, cfg, unit)
        v = hooks.validate(folder, cfg, unit)
        scored.append((v, t))
        log.info("%s trial %s (lr %g): %s", unit, t.trial_id, t.lr, v.text)
    v, best = min(scored, key=lambda s: s[0].rank)
    if v.refusal is not None:
        raise v.refusal
    final = sweep_dir / "policies" / unit
    meta = hooks.export(best.checkpoint, final, cfg, unit)
    info = {hooks.unit_key: unit, "config_digest": digest, "best_trial": best.trial_id,
            "lr": best.lr, "validation": v.record,
            "trials": [{"trial_id": t.trial_id, "lr": t.lr, "validation": s.record,
                        "train_seconds": t.train_seconds, "checkpoint": str(t.checkpoint)}
                       for s, t in scored],
            "timesteps": timesteps, "wall_seconds": wall, "train_seconds": best.train_seconds,
            "checked_observations": meta["checked_observations"]}
    write_text_atomic(json.dumps(info, indent=2), final / DONE_FILE)
    return info


def train_all(hooks: Hooks, cfg: Any, sweep_dir: Path) -> dict[str, dict[str, Any]]:
    """Every unit's ``trained.json``: kept from a previous run of this config, or trained
    (or resumed), exported and validated now."""
    out: dict[str, dict[str, Any]] = {}
    for fit, units in hooks.fits(cfg).items():
        digest = hooks.digest(cfg, fit)
        done = {u: saved_for_digest(sweep_dir / "policies" / u / DONE_FILE, digest)
                for u in units}
        # a record without validation predates this pipeline: exported again from the fit
        todo = [u for u, d in done.items() if d is None or "validation" not in d]
        if not todo:
            log.info("%s: every policy is trained and exported: skipped", fit)
        else:
            trials, wall = fit_or_resume(hooks, cfg, sweep_dir, fit, digest, units)
            for u in todo:
                mine = [t for t in trials if t.unit == u]
                if not mine:
                    raise QrayError(f"{sweep_dir / 'tune' / fit / FIT_FILE}: no trial of "
                                    f"{u} among its {len(trials)}; remove the file to "
                                    "train again")
                done[u] = keep_best(hooks, cfg, sweep_dir, u, mine, digest, wall,
                                    hooks.timesteps(cfg, fit))
        out.update(done)
    return out


def plot_curves(hooks: Hooks, sweep_dir: Path) -> Path | None:
    files = sorted((sweep_dir / "training").glob("*.parquet"))
    if not files:
        return None
    from qray import plotstyle

    df = pd.concat([pd.read_parquet(f) for f in files])
    fig, axes = plotstyle.figure(width=7, height=4)
    ax = axes[0][0]
    for (unit, _trial, lr), g in df.groupby([hooks.unit_key, "trial_id", "lr"]):
        ax.plot(g["env_steps"], g[hooks.curve_metric], label=f"{unit} lr={lr:g}")
    ax.set_xlabel("env steps")
    ax.set_ylabel(hooks.curve_label)
    ax.set_title(hooks.curve_title)
    ax.legend()
    return plotstyle.save(fig, sweep_dir / "training" / "curves.png")


def run_training(hooks: Hooks, cfg: Any) -> TrainingReport:
    """Train, export, validate and evaluate as configured (resumable)."""
    from actors.runtime.connect import connect
    from actors.runtime.driver import run_sweep

    sweep_dir = cfg.sweep_dir
    hooks.precheck(cfg)
    check_records(sweep_dir)  # a damaged fit.json or trained.json: refused before Ray starts
    started = connect(cfg)
    try:
        check_cpus(cfg)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(json.dumps(cfg.to_dict(), indent=2, default=str),
                          sweep_dir / "train_config.json")
        trained = train_all(hooks, cfg, sweep_dir)
        plot_curves(hooks, sweep_dir)
        report = run_sweep(hooks.eval_config(
            cfg, {u: str(sweep_dir / "policies" / u) for u in trained}))
    finally:
        if started:
            import ray

            ray.shutdown()
    lines = [f"# {hooks.title} `{sweep_dir.name}`", "", "## Training", ""]
    for unit, info in trained.items():
        lines += hooks.describe(sweep_dir, cfg, unit, info)
    lines += ["", "## Evaluation", "", report.summary_md]
    md = "\n".join(lines) + "\n"
    write_text_atomic(md, sweep_dir / "training.md")
    return TrainingReport(sweep_dir, md, report.complete, trained)
