"""Tune callbacks that log RL training trials to the sweep's tracker (``tracking``):
each trial's reported results, so its learning curve, in MLflow or W&B offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qray.tracking import allow_file_store, default_dir


def tune_callbacks(tracker: str, directory: Path, experiment: str) -> list[Any]:
    """Tune callbacks that log each training trial's results (learning curves) to the
    tracker; none for ``none``."""
    if tracker == "mlflow":
        from ray.air.integrations.mlflow import MLflowLoggerCallback

        allow_file_store()
        return [MLflowLoggerCallback(tracking_uri=directory.as_uri(),
                                     experiment_name=experiment, save_artifact=False)]
    if tracker == "wandb":
        from ray.air.integrations.wandb import WandbLoggerCallback

        return [WandbLoggerCallback(project=experiment, mode="offline", dir=str(directory),
                                    log_config=True)]
    return []


def training_callbacks(cfg: Any, experiment: str) -> list[Any]:
    """:func:`tune_callbacks` of a training config (its ``tracking``, ``tracking_dir`` and
    ``output_dir``)."""
    if cfg.tracking == "none":
        return []
    return tune_callbacks(cfg.tracking, default_dir(cfg.tracking, cfg.output_dir,
                                                    cfg.tracking_dir), experiment)
