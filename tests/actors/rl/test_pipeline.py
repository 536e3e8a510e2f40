"""The one RL pipeline (``actors/rl/pipeline.py``) driven by a workload's hooks: the
best trial per unit is kept, a refusal stops it, a rerun trains nothing, a changed
config is refused. The hooks here train nothing (no Ray): each trial is a folder."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from actors.rl.fit import DONE_FILE
from actors.rl.pipeline import Validation, train_all
from actors.rl.tune_fit import TrainedTrial
from qray.errors import ConfigError


class CountingHooks:
    """Two units in one fit, two trials each; the trial with the lower lr validates
    better; ``refuse`` makes every validation carry a refusal."""

    title = "Counting"
    unit_key = "unit"
    curve_metric = "episode_return_mean"
    curve_label = "return"
    curve_title = "counting"

    def __init__(self, refuse: bool = False, digest: str = "d1") -> None:
        self.trained = 0
        self.exported: list[str] = []
        self.refuse = refuse
        self._digest = digest

    def fits(self, cfg: Any) -> dict[str, list[str]]:
        return {"FIT": ["a", "b"]}

    def digest(self, cfg: Any, fit: str) -> str:
        return self._digest

    def timesteps(self, cfg: Any, fit: str) -> int:
        return 10

    def train(self, cfg: Any, sweep_dir: Path, fit: str, units: list[str]
              ) -> list[TrainedTrial]:
        self.trained += 1
        out = []
        for unit in units:
            for lr in (0.1, 0.01):
                ckpt = sweep_dir / "tune" / fit / f"{unit}-{lr}" / "checkpoint_000000"
                ckpt.mkdir(parents=True)
                (ckpt / "weights").write_text(str(lr))
                curve = pd.DataFrame({"env_steps": [5, 10], "episode_return_mean": [0.0, lr]})
                out.append(TrainedTrial(unit, f"{unit}-{lr}", lr, ckpt, curve, 1.0))
        return out

    def export(self, checkpoint: Path, folder: Path, cfg: Any, unit: str) -> dict[str, Any]:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "policy.txt").write_text((checkpoint / "weights").read_text())
        self.exported.append(str(folder.name))
        return {"checked_observations": 3}

    def validate(self, folder: Path, cfg: Any, unit: str) -> Validation:
        lr = float((folder / "policy.txt").read_text())
        refusal = ConfigError("timesteps", 10, "more", problem="too few") if self.refuse \
            else None
        return Validation((lr,), {"lr": lr}, f"score {lr}", refusal)


@pytest.fixture
def sweep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QRAY_CHECKPOINT_KEY", str(tmp_path / "key"))
    return tmp_path / "sweep"


def test_the_best_trial_of_each_unit_is_kept_and_recorded(sweep: Path) -> None:
    hooks = CountingHooks()
    trained = train_all(hooks, SimpleNamespace(), sweep)
    assert hooks.trained == 1 and set(trained) == {"a", "b"}
    for unit in ("a", "b"):
        info = json.loads((sweep / "policies" / unit / DONE_FILE).read_text())
        assert info == trained[unit]
        assert info["unit"] == unit and info["lr"] == 0.01 and info["validation"] == {"lr": 0.01}
        assert [t["lr"] for t in info["trials"]] == [0.1, 0.01]
        assert (sweep / "policies" / unit / "policy.txt").read_text() == "0.01"
    curves = pd.read_parquet(sweep / "training" / "FIT.parquet")
    assert sorted(curves["unit"].unique()) == ["a", "b"] and len(curves) == 8


def test_a_rerun_trains_nothing_and_a_lost_record_is_exported_from_the_fit(
        sweep: Path) -> None:
    train_all(CountingHooks(), SimpleNamespace(), sweep)
    again = CountingHooks()
    train_all(again, SimpleNamespace(), sweep)
    assert again.trained == 0 and again.exported == []
    (sweep / "policies" / "b" / DONE_FILE).unlink()
    third = CountingHooks()
    trained = train_all(third, SimpleNamespace(), sweep)
    assert third.trained == 0  # the finished fit is read back, never retrained
    assert sorted(third.exported) == ["b", "b-b-0.01", "b-b-0.1"]
    assert trained["b"]["lr"] == 0.01


def test_a_refused_best_stops_before_anything_is_kept(sweep: Path) -> None:
    with pytest.raises(ConfigError, match="config key 'timesteps': too few 10"):
        train_all(CountingHooks(refuse=True), SimpleNamespace(), sweep)
    assert not (sweep / "policies" / "a" / DONE_FILE).exists()


def test_a_changed_config_in_the_same_folder_is_refused(sweep: Path) -> None:
    train_all(CountingHooks(), SimpleNamespace(), sweep)
    with pytest.raises(ConfigError, match="holds training of another config"):
        train_all(CountingHooks(digest="d2"), SimpleNamespace(), sweep)
