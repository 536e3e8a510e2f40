"""A real ``ray start --head`` cluster on 127.0.0.1 with token auth (cluster/local-up.sh),
a sweep sent with ``ray job submit --working-dir .``, resubmitted, and the cluster stopped
by its own process group (cluster/local-down.sh)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, user_env

pytestmark = pytest.mark.cluster


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def head():
    # short path: Ray's unix sockets under the temp dir must stay under 107 bytes
    state = Path(tempfile.mkdtemp(prefix="qray-head-", dir="/tmp"))
    dash = _free_port()
    env = user_env(QRAY_CLUSTER_DIR=str(state), QRAY_RAY_PORT=str(_free_port()),
                   QRAY_DASHBOARD_PORT=str(dash), QRAY_METRICS_PORT=str(_free_port()),
                   QRAY_AGENT_PORT=str(_free_port()), QRAY_RAY_TEMP_DIR=str(state / "ray"),
                   QRAY_NUM_CPUS="2")
    env.pop("RAY_AUTH_MODE", None)
    env.pop("RAY_ADDRESS", None)
    up = subprocess.run(["bash", "cluster/local-up.sh"], cwd=ROOT, env=env, capture_output=True,
                        text=True, timeout=180)
    assert up.returncode == 0, up.stdout + up.stderr
    job_env = dict(env, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN_PATH=str(state / "auth_token"),
                   RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0",
                   RAY_API_SERVER_ADDRESS=f"http://127.0.0.1:{dash}")
    try:
        yield job_env
    finally:
        down = subprocess.run(["bash", "cluster/local-down.sh"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
        assert down.returncode == 0, down.stderr
        pgid = up.stdout.split("process group ")[1].split(")")[0]
        ps = subprocess.run(["ps", "-eo", "pgid=,stat="], capture_output=True, text=True).stdout
        running = [ln for ln in ps.splitlines()
                   if ln.split()[0] == pgid and not ln.split()[1].startswith("Z")]
        assert not running, f"the cluster's processes are still running: {running}"
        shutil.rmtree(state, ignore_errors=True)


def _submit(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ray", "job", "submit", "--working-dir", ".", "--", "python",
                           "jobs/sweep.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


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
