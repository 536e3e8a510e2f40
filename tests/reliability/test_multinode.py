"""A sweep on a real 3-host Ray cluster (cluster/netns-cluster.sh: network namespaces on
this machine, addresses in 198.18.0.0/24) that loses a worker host mid-sweep: once by
SIGKILL of the host's processes (driver on the head), once by cutting its link (the sweep
submitted with ``ray job submit``). Every row ends up on disk exactly once, the lost
host's actor is recreated on the survivor, and a rerun after the host returns has
nothing left to do."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, parquet_files, user_env
from tests.reliability.helpers import figure

pytestmark = [pytest.mark.cluster, pytest.mark.netns, pytest.mark.slow]  # make reliability

SCRIPT = ROOT / "cluster" / "netns-cluster.sh"
HEAD = "198.18.0.1"
REPS = 40
#: two backends, one 1-CPU actor each, on worker hosts of 1 CPU each: one actor per host
SWEEP = ["backends=[numpy,stim]", "circuits=[clifford]", "n_qubits={start: 8, stop: 12}",
         "depth=[20]", f"repetitions={REPS}", "warmup=0", "summarize=false",
         "ray.include_dashboard=false", "execution.chunk_tasks=20", "actor.batch_size=5",
         "max_parallel=2"]
TASKS = 2 * 5 * REPS


def _bench(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _cannot_make_namespaces() -> str | None:
    if not shutil.which("ip") or not shutil.which("unshare"):
        return "iproute2 (ip) or util-linux (unshare) is not installed"
    if os.geteuid() != 0:
        return "network namespaces need root"
    probe = f"qp{os.getpid() % 100000}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode:
        return f"cannot create a network namespace: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return None


@pytest.fixture(scope="module")
def bench() -> Iterator[dict]:
    reason = _cannot_make_namespaces()
    if reason:
        pytest.skip(reason)
    prefix = f"q{os.getpid() % 10000}"
    env = user_env(QRAY_NETNS=prefix, QRAY_NETNS_DIR=f"/tmp/{prefix}-netns",
                   RAY_AUTH_MODE="disabled")
    env.pop("RAY_ADDRESS", None)
    t0 = time.monotonic()
    up = _bench("up", env=env, timeout=240)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        yield {**env, "up_s": f"{time.monotonic() - t0:.1f}"}
    finally:
        down = _bench("down", env=env)
        leftover = subprocess.run(["ip", "netns", "list"], capture_output=True,
                                  text=True).stdout
        assert down.returncode == 0, down.stderr
        assert prefix + "-" not in leftover, leftover


def _nodes(env: dict) -> dict[str, str]:
    """host name -> Ray node id of the alive nodes, asked on the head."""
    code = (f"import json, ray; ray.init(address='{HEAD}:6379', log_to_driver=False); "
            "print(json.dumps({n['NodeManagerHostname']: n['NodeID'] for n in ray.nodes() "
            "if n['Alive']}))")
    res = _bench("exec", "head", "python", "-c", code, env=env)
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def _wait_files(folder: Path, n: int, proc_alive, timeout: float = 240) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(parquet_files(folder)) < n:
        assert proc_alive(), "the sweep ended before a host could be lost"
        time.sleep(0.2)


def _check_rows(folder: Path, nodes: dict[str, str], lost: str, label: str,
                **extra: object) -> None:
    df = read_dataset(folder)[0].to_pandas()
    on_disk = sum(pq.ParquetFile(p).metadata.num_rows for p in parquet_files(folder))
    by_node = df.groupby("node_id").size().to_dict()
    host_of = {v: k for k, v in nodes.items()}
    lost_backends = set(df[df["node_id"] == nodes[lost]]["backend"])
    moved = {b for b in lost_backends
             if (df[df["backend"] == b]["node_id"] != nodes[lost]).any()}
    figure(label, rows_expected=TASKS, rows_found=len(df), rows_on_disk=on_disk,
           duplicates=len(df) - df["task_id"].nunique(),
           node_ids_seen={host_of.get(n, n)[-2:]: c for n, c in by_node.items()},
           actors_recreated_on_survivor=sorted(moved), **extra)
    assert len(df) == TASKS and on_disk == TASKS and df["task_id"].is_unique
    assert (df["status"] == "ok").all(), df["error"].dropna().tolist()[:3]
    w1, w2 = (nodes[h] for h in sorted(k for k in nodes if not k.endswith("head")))
    assert {w1, w2} <= set(df["node_id"]), "the actors were not spread over both hosts"
    assert lost_backends and moved == lost_backends


def _return_host(env: dict, host: str) -> None:
    """Bring a lost host back: whatever is left of it is killed, its node started again."""
    assert _bench("restore", host, env=env).returncode == 0
    assert _bench("kill", host, env=env).returncode == 0
    started = _bench("start", host, env=env)
    assert started.returncode == 0, started.stderr


def test_a_host_killed_mid_sweep(bench: dict, tmp_path: Path) -> None:
    env = bench
    nodes = _nodes(env)
    assert len(nodes) == 3, nodes
    lost = next(h for h in nodes if h.endswith("w1"))
    out = tmp_path / "out"
    args = [f"ray.address={HEAD}:6379", f"output_dir={out}", "sweep_id=killed", *SWEEP]
    driver = subprocess.Popen(["bash", str(SCRIPT), "exec", "head", "python", "jobs/sweep.py",
                               *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    folder = out / "killed" / "simulators"
    _wait_files(folder, 4, lambda: driver.poll() is None)
    t_loss = time.monotonic()
    assert _bench("kill", "w1", env=env).returncode == 0
    log, _ = driver.communicate(timeout=400)
    assert driver.returncode == 0, log[-4000:]
    _check_rows(folder, nodes, lost, "multi-node: host w1 SIGKILLed mid-sweep",
                bench_up_s=env["up_s"], sweep_s_after_loss=f"{time.monotonic() - t_loss:.1f}",
                files=len(parquet_files(folder)))
    _return_host(env, "w1")
    again = _bench("exec", "head", "python", "jobs/sweep.py", *args, env=env, timeout=300)
    assert f"{TASKS} already done, 0 run in 0 trials" in again.stdout, again.stdout[-2000:]


def _job_status(env: dict, job_id: str) -> str:
    out = subprocess.run(["ray", "job", "status", job_id], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60).stdout
    found = re.search(r"(PENDING|RUNNING|SUCCEEDED|FAILED|STOPPED)", out.upper())
    return found.group(1) if found else "UNKNOWN"


def test_a_host_cut_off_mid_sweep_of_a_submitted_job(bench: dict, tmp_path: Path) -> None:
    env = {**bench, "RAY_API_SERVER_ADDRESS": f"http://{HEAD}:8265"}
    nodes = _nodes(env)
    assert len(nodes) == 3, nodes
    lost = next(h for h in nodes if h.endswith("w1"))
    out = tmp_path / "out"
    args = [f"output_dir={out}", "sweep_id=cut", *SWEEP]
    job_id = f"qray-cut-{int(time.time())}"
    sub = subprocess.run(["ray", "job", "submit", "--working-dir", ".", "--no-wait",
                          "--submission-id", job_id, "--", "python", "jobs/sweep.py", *args],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert sub.returncode == 0, sub.stdout + sub.stderr
    folder = out / "cut" / "simulators"
    _wait_files(folder, 4, lambda: _job_status(env, job_id) in ("PENDING", "RUNNING"))
    t_loss = time.monotonic()
    assert _bench("cut", "w1", env=env).returncode == 0
    deadline = time.monotonic() + 400
    while (status := _job_status(env, job_id)) in ("PENDING", "RUNNING", "UNKNOWN"):
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(1)
    logs = subprocess.run(["ray", "job", "logs", job_id], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60).stdout
    assert status == "SUCCEEDED", logs[-4000:]
    _check_rows(folder, nodes, lost, "multi-node: host w1's link cut mid-sweep (ray job submit)",
                sweep_s_after_loss=f"{time.monotonic() - t_loss:.1f}")
    _return_host(env, "w1")


EXPERIMENT = """import socket
import time


def where(x):
    time.sleep(0.2)
    return {"x2": x * x, "ran_on": socket.gethostname()}
"""


def test_an_experiment_whose_file_is_only_where_the_driver_starts(bench: dict,
                                                                   tmp_path: Path) -> None:
    """The experiment's file is deleted once the driver has planned the sweep (before any
    actor exists): the actors on both worker hosts run it from the text the driver sent."""
    env = bench
    nodes = _nodes(env)
    src = tmp_path / "only-on-head"
    src.mkdir()
    (src / "where.py").write_text(EXPERIMENT)
    (src / "where.yaml").write_text("experiment: where.py:where\ngrid: {x: {start: 1, stop: "
                                    "24}}\nmax_parallel: 2\nexecution: {chunk_tasks: 4}\n")
    out = tmp_path / "out"
    args = ["--config", str(src / "where.yaml"), f"ray.address={HEAD}:6379",
            f"output_dir={out}", "sweep_id=exp", "summarize=false",
            "ray.include_dashboard=false"]
    driver = subprocess.Popen(["bash", str(SCRIPT), "exec", "head", "python", "jobs/sweep.py",
                               *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 240
    while not (out / "exp" / "sweep.json").exists():
        assert driver.poll() is None and time.monotonic() < deadline, driver.stdout.read()
        time.sleep(0.02)
    assert not parquet_files(out / "exp"), "the file must go before any task ran"
    shutil.rmtree(src)
    log, _ = driver.communicate(timeout=400)
    assert driver.returncode == 0, log[-4000:]
    df = read_dataset(out / "exp" / "experiment")[0].to_pandas()
    figure("multi-node: an experiment whose file exists only where the driver starts",
           rows=len(df), hosts=sorted(set(df["ran_on"])))
    assert len(df) == 24 and df["task_id"].is_unique and (df["status"] == "ok").all()
    workers = {nodes[h] for h in nodes if not h.endswith("head")}
    assert workers <= set(df["node_id"]), "the actors were not spread over both worker hosts"
