"""Experiment tracking: a sweep (and each RL training trial) logged to MLflow or W&B.

``tracking: mlflow`` writes a local MLflow file store (``<output_dir>/mlruns`` unless
``tracking_dir`` says where; no server): one run per sweep named by its sweep id, with the
config as parameters, the provenance as tags, per-cell metrics (the median of every
numeric measurement over a cell's ok rows; the cells are those of ``qray compare``) and
the summary, its tables and plots as artifacts. RL training trials log their learning
curves through Tune's MLflow callback into the same store. ``tracking: wandb`` does the
same in W&B's offline mode (``<output_dir>/wandb``; ``wandb sync`` uploads it later).
Both are optional extras (``pip install 'qray[mlflow]'`` / ``'qray[wandb]'``); asking for
one that is not installed is refused before any work.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: per-cell metrics logged at most (the cells' CSV artifact has them all)
MAX_METRICS = 2000
#: the files of a sweep folder logged as artifacts
ARTIFACT_SUFFIXES = (".md", ".tex", ".csv", ".png", ".pdf", ".json")


def default_dir(tracker: str, output_dir: str | Path, tracking_dir: str | None) -> Path:
    """Where ``tracker`` writes: ``tracking_dir``, else ``<output_dir>/mlruns`` (MLflow)
    or ``<output_dir>/wandb`` (W&B)."""
    if tracking_dir:
        return Path(tracking_dir).expanduser().resolve()
    return (Path(output_dir).expanduser() / ("mlruns" if tracker == "mlflow" else "wandb")
            ).resolve()


def _flat(data: Any, prefix: str = "") -> dict[str, str]:
    """Nested mappings as ``a.b.c`` keys with JSON-ish string values."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(_flat(v, f"{prefix}{k}."))
        return out
    text = data if isinstance(data, str) else json.dumps(data, default=str)
    out[prefix.rstrip(".")] = text[:500]
    return out


def _key(text: str) -> str:
    """A metric name MLflow accepts (letters, digits, ``_-./ :``)."""
    return re.sub(r"[^A-Za-z0-9_\-./ :]", "_", text)[:250]


def cell_metrics(sweep_dir: Path) -> tuple[dict[str, float], Any]:
    """``{metric/cell: median}`` over each cell's ok rows, and the cells' table."""
    import pandas as pd

    from qray.results.compare import cell_columns
    from qray.results.load import load
    from qray.results.schema import COMMON_FIELDS

    df = load(sweep_dir)
    ok = df[df["status"] == "ok"] if "status" in df else df
    if ok.empty:
        return {}, pd.DataFrame()
    cells = cell_columns(ok)
    common = {f.name for f in COMMON_FIELDS}
    measures = [c for c in ok.columns if c not in cells and c not in common
                and c not in ("repetition",) and "seed" not in c
                and pd.api.types.is_numeric_dtype(ok[c]) and not pd.api.types.is_bool_dtype(ok[c])]
    if not measures:
        return {}, pd.DataFrame()
    table = (ok.groupby(cells, dropna=False)[measures].median().reset_index() if cells
             else ok[measures].median().to_frame().T)
    metrics: dict[str, float] = {}
    for row in table.itertuples(index=False):
        values = row._asdict()
        name = "/".join(f"{c}_{values[c]}" for c in cells)
        for m in measures:
            v = values[m]
            if isinstance(v, (int, float)) and math.isfinite(v):
                metrics[_key(f"{m}/{name}" if name else m)] = float(v)
    return metrics, table


def _files(sweep_dir: Path) -> list[Path]:
    return sorted(p for p in sweep_dir.iterdir()
                  if p.is_file() and p.suffix in ARTIFACT_SUFFIXES)


def log_sweep(tracker: str, directory: Path, sweep_dir: Path, config: dict[str, Any],
              provenance: dict[str, Any]) -> str:
    """Log one finished sweep; returns where it went (the run's folder or id)."""
    metrics, table = cell_metrics(sweep_dir)
    if len(metrics) > MAX_METRICS:
        log.warning("%d per-cell metrics: logging the first %d (cells.csv has them all)",
                    len(metrics), MAX_METRICS)
        metrics = dict(list(metrics.items())[:MAX_METRICS])
    directory.mkdir(parents=True, exist_ok=True)
    cells_csv = directory / f".cells-{sweep_dir.name}.csv"
    table.to_csv(cells_csv, index=False)
    try:
        if tracker == "mlflow":
            return _mlflow(directory, sweep_dir, config, provenance, metrics, cells_csv)
        return _wandb(directory, sweep_dir, config, provenance, metrics, table)
    finally:
        cells_csv.unlink(missing_ok=True)


def allow_file_store() -> None:
    """MLflow 3 keeps its file store (the local ``mlruns/`` folder, no server or
    database) only behind this opt-in; qray's tracking is that store by design."""
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")


def _mlflow(directory: Path, sweep_dir: Path, config: dict[str, Any],
            provenance: dict[str, Any], metrics: dict[str, float], cells_csv: Path) -> str:
    allow_file_store()
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=directory.as_uri())
    name = str(config.get("workload", "qray"))
    experiment = client.get_experiment_by_name(name)
    exp_id = experiment.experiment_id if experiment else client.create_experiment(name)
    run = client.create_run(exp_id, run_name=sweep_dir.name,
                            tags={f"provenance.{k}": v for k, v in _flat(provenance).items()}
                            | {"sweep_dir": str(sweep_dir)})
    run_id = run.info.run_id
    from mlflow.entities import Metric, Param

    params = [Param(k, v) for k, v in _flat(config).items()]
    for i in range(0, len(params), 100):
        client.log_batch(run_id, params=params[i:i + 100])
    items = [Metric(k, v, 0, 0) for k, v in metrics.items()]
    for i in range(0, len(items), 1000):
        client.log_batch(run_id, metrics=items[i:i + 1000])
    for path in _files(sweep_dir):
        client.log_artifact(run_id, str(path))
    client.log_artifact(run_id, str(cells_csv), artifact_path="cells")
    client.set_terminated(run_id)
    return f"{directory} (experiment {name!r}, run {run_id})"


def _wandb(directory: Path, sweep_dir: Path, config: dict[str, Any],
           provenance: dict[str, Any], metrics: dict[str, float], table: Any) -> str:
    import shutil

    import wandb

    run = wandb.init(project=str(config.get("workload", "qray")), name=sweep_dir.name,
                     dir=str(directory), mode="offline", config=config, reinit="finish_previous",
                     settings=wandb.Settings(silent=True, console="off"))
    try:
        run.summary.update({"provenance": provenance, **metrics})
        if len(table):
            run.log({"cells": wandb.Table(dataframe=table.astype(str))})
            table.to_csv(Path(run.dir) / "cells.csv", index=False)
        for path in _files(sweep_dir):
            if path.suffix == ".png":
                run.log({path.stem: wandb.Image(str(path))})
            shutil.copy2(path, Path(run.dir) / path.name)  # copies: the run syncs them later
        (Path(run.dir) / "provenance.json").write_text(json.dumps(provenance, indent=1))
        return str(Path(run.dir).parent)
    finally:
        run.finish()


def tracked(cfg: Any) -> dict[str, Any]:
    """The tracking keys a training config hands its evaluation sweep, so that the sweep
    lands in the same store as the training trials (the evaluation's ``output_dir`` is
    the training's sweep folder, not its ``output_dir``)."""
    if cfg.tracking == "none":
        return {}
    return {"tracking": cfg.tracking,
            "tracking_dir": str(default_dir(cfg.tracking, cfg.output_dir, cfg.tracking_dir))}
