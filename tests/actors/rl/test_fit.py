"""Fit-or-resume bookkeeping shared by the training pipelines (no Ray needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from actors.rl.fit import FIT_FILE, finished_fit, record_fit, saved_for_digest, write_curves
from qray.errors import ConfigError


def _fit_file(tmp_path: Path) -> Path:
    return tmp_path / "sweep" / "tune" / "PPO" / FIT_FILE


def test_a_finished_fit_is_read_back_for_its_config_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QRAY_CHECKPOINT_KEY", str(tmp_path / "key"))
    fit_file = _fit_file(tmp_path)
    assert saved_for_digest(fit_file, "abc") is None and finished_fit(fit_file, "abc") is None
    ckpt = fit_file.parent / "t0" / "checkpoint_000000"  # Tune's layout inside the sweep
    ckpt.mkdir(parents=True)
    trials = [{"trial_id": "t0", "lr": 0.001, "checkpoint": str(ckpt), "train_seconds": 1.5}]
    record_fit(fit_file, digest="abc", wall_seconds=2.0, trials=trials)
    assert json.loads(fit_file.read_text()) == {"config_digest": "abc", "wall_seconds": 2.0,
                                                "trials": trials}
    assert finished_fit(fit_file, "abc")["trials"] == trials
    assert (fit_file.parent / "checkpoints.json").is_file()  # signed before fit.json
    with pytest.raises(ConfigError, match="'sweep_id': holds training of another config: 'sweep'"):
        finished_fit(fit_file, "other")
    ckpt.rmdir()  # a checkpoint gone: the fit runs again
    assert finished_fit(fit_file, "abc") is None


def test_curves_are_led_by_their_labels(tmp_path: Path) -> None:
    curve = pd.DataFrame({"training_iteration": [1, 2], "env_steps": [10, 20]})
    path = tmp_path / "training" / "PPO.parquet"
    write_curves(path, [({"coupling_map": "line-5", "trial_id": "a", "lr": 0.1}, curve),
                        ({"coupling_map": "grid-3x3", "trial_id": "b", "lr": 0.2}, curve)])
    df = pd.read_parquet(path)
    assert list(df.columns) == ["coupling_map", "trial_id", "lr", "training_iteration",
                                "env_steps"]
    assert list(df["trial_id"]) == ["a", "a", "b", "b"]
    assert list(curve.columns) == ["training_iteration", "env_steps"]  # not modified
