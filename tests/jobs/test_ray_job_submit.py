"""A real ``ray start --head`` cluster on 127.0.0.1 with token auth (cluster/local-up.sh),
a sweep sent with ``ray job submit --working-dir .``, resubmitted, and the cluster stopped
by its own process group (cluster/local-down.sh)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, local_head, submit

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def head():
    with local_head() as env:
        yield env


def _submit(env: dict, *args: str) -> subprocess.CompletedProcess:
    return submit(env, *args)


def test_job_submit_to_local_head(head: dict, tmp_path: Path) -> None:
    out = tmp_path / "results"
    args = [f"output_dir={out}", "backends=[numpy,stim]", "circuits=[ghz,clifford]",
            "n_qubits=[3,5]", "depth=[4]", "repetitions=2", "sweep_id=job"]
    res = _submit(head, *args)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "succeeded" in res.stdout + res.stderr
    table, problems = read_dataset(out / "job" / "simulators")
    df = table.to_pandas()
    assert len(df) == 16 and df["task_id"].is_unique and (df["status"] == "ok").all()
    assert (out / "job" / "summary.md").exists()
    again = _submit(head, *args)
    assert again.returncode == 0 and "16 already done, 0 run" in again.stdout


def test_job_submit_needs_the_token(head: dict) -> None:
    env = dict(head, RAY_AUTH_TOKEN_PATH="/nonexistent/token")
    env.pop("RAY_AUTH_TOKEN", None)
    res = subprocess.run(["ray", "job", "list"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode != 0
