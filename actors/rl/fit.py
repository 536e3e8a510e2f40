"""Fit-or-resume bookkeeping of the RLlib training pipelines (``cloud``, ``routing``).

A pipeline's Tune fit records its trials in ``fit.json`` once training finished (and their
checkpoints, signed, in ``checkpoints.json``: :mod:`actors.rl.trust`), and each
exported policy gets a ``trained.json``; both carry the digest of the config they were
made for. A rerun reads them back instead of training again, and refuses a changed config
in the same sweep folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

import actors.rl.trust as trust
from qray.errors import ConfigError, QrayError, ResourceError
from qray.results.writer import write_table_atomic, write_text_atomic

FIT_FILE = "fit.json"
DONE_FILE = "trained.json"


@dataclass
class TrainingReport:
    """What a training pipeline's ``run_training`` returns."""

    sweep_dir: Path
    markdown: str
    complete: bool
    trained: dict[str, Any] = field(default_factory=dict)


def check_cpus(cfg: Any) -> None:
    """A trial needs 1 + ``cfg.num_env_runners`` CPUs; RLlib would wait forever otherwise."""
    import ray

    total = ray.cluster_resources().get("CPU", 0.0)
    need = 1 + cfg.num_env_runners
    if need > total:
        raise ResourceError(f"config key 'num_env_runners': {cfg.num_env_runners} env runners "
                            f"+ 1 trial process need {need} CPUs; the cluster has {total:g}. "
                            f"Allowed: num_env_runners <= {max(int(total) - 1, 0)}")


def read_record(path: Path) -> dict[str, Any] | None:
    """A training record (``fit.json``, ``trained.json``): None when there is none; a
    QrayError naming the file when it is not one qray wrote (unreadable, not a JSON
    object with ``config_digest``, a ``fit.json`` whose ``trials`` are not a list of
    objects each naming its ``checkpoint``)."""
    if not os.path.lexists(path):
        return None
    why = ""
    saved: Any = None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        why = f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"
    if not why and not (isinstance(saved, dict) and isinstance(saved.get("config_digest"), str)):
        why = "not a JSON object with a config_digest"
    if not why and path.name == FIT_FILE:
        trials = saved.get("trials")
        if not (isinstance(trials, list) and trials and all(
                isinstance(t, dict) and isinstance(t.get("checkpoint"), str) for t in trials)):
            why = "its trials are not a list of objects that each name a checkpoint"
    if why:
        raise QrayError(f"{path}: not a training record qray wrote ({why}); remove it (and "
                        "its folder's checkpoints) to train that part again, or restore it")
    return saved


def check_records(sweep_dir: Path) -> None:
    """Read every training record of a training sweep before Ray starts, so that a
    damaged one is refused before any work."""
    for path in [*sweep_dir.glob(f"tune/*/{FIT_FILE}"), *sweep_dir.glob(f"policies/*/{DONE_FILE}")]:
        read_record(path)


def saved_for_digest(path: Path, digest: str) -> dict[str, Any] | None:
    """The saved JSON at ``path`` if it was written for this config; refuses a
    different config in the same sweep folder."""
    saved = read_record(path)
    if saved is None:
        return None
    if saved.get("config_digest") != digest:
        raise ConfigError("sweep_id", path.parents[2].name,
                          "a new sweep_id (or none) for a changed training config",
                          problem="holds training of another config:")
    return saved


def finished_fit(fit_file: Path, digest: str) -> dict[str, Any] | None:
    """``fit.json`` of a finished fit of this config whose checkpoints are all still there
    (its trials are exported, never retrained); None when the fit must run."""
    saved = saved_for_digest(fit_file, digest)
    if saved and all(Path(t["checkpoint"]).is_dir() for t in saved["trials"]):
        for t in saved["trials"]:  # before anything is unpickled
            trust.verify(Path(t["checkpoint"]), fit_file.parent / trust.MANIFEST,
                         fit_file.parents[2])
        return saved
    return None


def record_fit(fit_file: Path, *, digest: str, wall_seconds: float,
               trials: list[dict[str, Any]]) -> None:
    """Write ``fit.json`` (last, after the curves and the signed manifest of the trials'
    checkpoints): training of this config finished."""
    trust.record(fit_file.parent, fit_file.parents[2], [Path(t["checkpoint"]) for t in trials])
    write_text_atomic(json.dumps({"config_digest": digest, "wall_seconds": wall_seconds,
                                  "trials": trials}, indent=2), fit_file)


def write_curves(path: Path, curves: Iterable[tuple[Mapping[str, Any], pd.DataFrame]]) -> None:
    """The trials' learning curves as one Parquet table at ``path``: each ``(labels,
    curve)`` pair becomes ``curve`` led by one column per label, in order."""
    frames = []
    for labels, curve in curves:
        c = curve.copy()
        for i, (name, value) in enumerate(labels.items()):
            c.insert(i, name, value)
        frames.append(c)
    write_table_atomic(pa.Table.from_pandas(pd.concat(frames), preserve_index=False), path)
