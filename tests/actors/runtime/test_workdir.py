"""What ``ray job submit --working-dir .`` uploads: the source, never outputs, logs or
secrets (checked with Ray's own packaging rules on the repository's ignore files)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from actors.runtime.workdir import secrets, uploaded, warn_secrets
from tests.conftest import ROOT

SOURCE = ["qray/x.py", "jobs/conf/mine.yaml", "README.md", "jobs/examples/exp.py"]
WRITTEN = [
    "results/s-1/sweep.json", "out2/s-1/simulators/chunk-0.parquet", "out2/s-1/summary.md",
    "out2/s-1/summary.tex", "out2/s-1/driver.log", "out2/s-1/runs.jsonl",
    "out2/s-1/plan.ids.gz", "out2/s-1/simulators/.tmp-chunk-1.parquet",
    "out2/s-1/tune/DQN/fit.json", "out2/s-1/tune/DQN/checkpoints.json",
    "out2/s-1/tune/DQN/t/checkpoint_000000/x.pkl", "out2/s-1/policies/DQN/policy.pt",
    "out2/s-1/experiment/columns.json", "out2/_tune/state.json", "mlruns/0/meta.yaml",
    "wandb/offline-run-1/run.wandb", "sweep.log", "nohup.out",
    "state/local-cluster/auth_token", "state/local-cluster/env.sh", ".qray/checkpoint.key",
    "certs/head.pem",
]


def test_the_upload_holds_the_source_and_nothing_written(tmp_path: Path) -> None:
    for name in (".rayignore", ".gitignore"):
        shutil.copy(ROOT / name, tmp_path / name)
    for rel in SOURCE + WRITTEN:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    got = {p.relative_to(tmp_path).as_posix() for p in uploaded(tmp_path)}
    assert got == {*SOURCE, ".rayignore", ".gitignore"}
    assert secrets(uploaded(tmp_path)) == []


def test_a_token_in_the_upload_is_warned_about(tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "cluster").mkdir()
    (tmp_path / "cluster" / "auth_token").write_text("secret")
    (tmp_path / "main.py").write_text("x")
    with caplog.at_level(logging.WARNING, logger="actors.runtime.workdir"):
        found = warn_secrets(tmp_path)
    assert found == [tmp_path / "cluster" / "auth_token"]
    assert "auth_token" in caplog.text and "QRAY_CLUSTER_DIR" in caplog.text
