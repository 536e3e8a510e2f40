"""``tracking: mlflow`` (a local file store) and ``tracking: wandb`` (offline): a real sweep
logged with its config, provenance, per-cell metrics and summary files; bad values and a
missing library refused before any work."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from actors.cli import main
from qray.config import load_config
from qray.errors import ConfigError
from tests.conftest import ROOT

SMALL = ["ray.include_dashboard=false", "backends=[numpy]", "circuits=[ghz]",
         "n_qubits=[2,3]", "repetitions=2", "warmup=0", "summarize=true"]


def test_unknown_tracker_is_refused_before_any_work(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    with pytest.raises(ConfigError, match="tracking.*'mlfow'.*none, mlflow, wandb"):
        load_config(ROOT / "jobs/conf/ci_small.yaml", ["tracking=mlfow"])
    assert main(["sweep", "--config", "ci_small", f"output_dir={tmp_path}",
                 "tracking=mlfow"]) == 2
    assert not any(tmp_path.iterdir())


def test_a_tracker_without_its_library_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "wandb" else real(name, *a))
    with pytest.raises(ConfigError, match=r"pip install 'qray\[wandb\]'"):
        load_config(ROOT / "jobs/conf/ci_small.yaml", ["tracking=wandb"])


@pytest.mark.skipif(importlib.util.find_spec("mlflow") is None, reason="mlflow not installed")
def test_mlflow_logs_config_provenance_cells_and_files(ray_session, tmp_path: Path) -> None:  # noqa: ANN001
    from mlflow.tracking import MlflowClient

    store = tmp_path / "mlruns"
    assert main(["sweep", "--config", "ci_small", f"output_dir={tmp_path / 'out'}", *SMALL,
                 "tracking=mlflow", f"tracking_dir={store}"]) == 0
    sweep = (tmp_path / "out" / "latest").resolve()
    client = MlflowClient(tracking_uri=store.as_uri())
    exp = client.get_experiment_by_name("simulators")
    (run,) = client.search_runs([exp.experiment_id])
    assert run.info.run_name == sweep.name and run.info.status == "FINISHED"
    assert run.data.params["workload"] == "simulators"
    assert json.loads(run.data.params["n_qubits"]) == [2, 3]
    prov = json.loads((sweep / "sweep.json").read_text())["provenance"]
    assert run.data.tags["provenance.qray"] == prov["qray"]
    assert run.data.tags["provenance.libraries.numpy"] == prov["libraries"]["numpy"]
    runs = [k for k in run.data.metrics if k.startswith("run_s/")]
    assert len(runs) == 2 and all("backend_numpy" in k for k in runs)  # one per n
    files = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"summary.md", "summary.tex", "times.csv", "time_vs_qubits.png",
            "time_vs_qubits.pdf", "sweep.json", "cells"} <= files


@pytest.mark.skipif(importlib.util.find_spec("wandb") is None,
                    reason="wandb not installed (pip install 'qray[wandb]')")
def test_wandb_offline_logs_the_sweep(ray_session, tmp_path: Path) -> None:  # noqa: ANN001
    store = tmp_path / "wandb"
    assert main(["sweep", "--config", "ci_small", f"output_dir={tmp_path / 'out'}", *SMALL,
                 "tracking=wandb", f"tracking_dir={store}"]) == 0
    (run_dir,) = list((store / "wandb").glob("offline-run-*"))
    saved = {p.name for p in (run_dir / "files").iterdir() if not p.is_symlink()}
    assert {"summary.md", "summary.tex", "times.csv", "cells.csv", "provenance.json"} <= saved
    prov = json.loads((run_dir / "files" / "provenance.json").read_text())
    assert prov == json.loads((tmp_path / "out" / "latest" / "sweep.json").read_text())[
        "provenance"]
    (log,) = list(run_dir.glob("*.wandb"))  # the offline log `wandb sync` uploads
    data = log.read_bytes()
    assert b"run_s/" in data and b"backend_numpy" in data  # the per-cell metrics
