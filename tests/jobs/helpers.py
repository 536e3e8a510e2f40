"""Helpers for tests that run the job scripts as a user would."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user whose virtualenv is active (its bin first on PATH)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("RAY_AUTH_MODE", "disabled")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_job(script: str, *args: str, timeout: float = 600, **popen) -> subprocess.CompletedProcess:
    """Run ``python jobs/<script> args...`` from the repository root."""
    return subprocess.run([sys.executable, f"jobs/{script}", *args], cwd=ROOT, env=user_env(),
                          capture_output=True, text=True, timeout=timeout, **popen)


def parquet_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith(".tmp-"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def local_head(**extra_env: str) -> Iterator[dict]:
    """A ``ray start --head`` cluster from cluster/local-up.sh on free loopback ports,
    stopped by cluster/local-down.sh (its own process group only). Yields the environment
    of a user who sourced its env.sh (token auth on), plus ``QRAY_METRICS_PORT``."""
    # short path: Ray's unix sockets under the temp dir must stay under 107 bytes
    state = Path(tempfile.mkdtemp(prefix="qray-head-", dir="/tmp"))
    dash, metrics = free_port(), free_port()
    env = user_env(QRAY_CLUSTER_DIR=str(state), QRAY_RAY_PORT=str(free_port()),
                   QRAY_DASHBOARD_PORT=str(dash), QRAY_METRICS_PORT=str(metrics),
                   QRAY_AGENT_PORT=str(free_port()), QRAY_RAY_TEMP_DIR=str(state / "ray"),
                   QRAY_NUM_CPUS="2", **extra_env)
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


def submit(env: dict, *args: str, no_wait: bool = False, submission_id: str | None = None,
           script: str = "jobs/sweep.py") -> subprocess.CompletedProcess:
    """``ray job submit --working-dir . -- python <script> args...``."""
    cmd = ["ray", "job", "submit", "--working-dir", "."]
    if no_wait:
        cmd.append("--no-wait")
    if submission_id:
        cmd += ["--submission-id", submission_id]
    return subprocess.run([*cmd, "--", "python", script, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
