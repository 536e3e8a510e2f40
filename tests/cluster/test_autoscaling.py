"""Autoscaling exercised on one machine: Ray's fake multi-node provider
(cluster/fake_multinode.yaml) launches a `sim-worker` node for a sweep whose actors need
`simhost_fake`, which only that node type offers; the sweep writes every row once, and the
autoscaler stops the node after it idles. A request no node type can satisfy is still
refused before any work.

The head runs in its own process group (own ports, temp dir, auth off), and the workers
the autoscaler starts are children of the head's monitor, in the same group; the test
stops that group by its id, never with `ray stop`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, free_port, user_env
from tests.reliability.helpers import figure

CONFIG = ROOT / "cluster" / "fake_multinode.yaml"
WORKER_TYPE = "sim-worker"
RESOURCE = "simhost_fake"
IDLE_S = 0.2 * 60  # idle_timeout_minutes of the config

# ~40 s: a head, a launched worker, its idle timeout (`make test-all`, `make reliability`
# does not include it)
pytestmark = [pytest.mark.cluster, pytest.mark.slow]


def _skip_unless_provider_can_run() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the fake multi-node provider is tested on Linux only (process groups, "
                    f"loopback-only Ray); this is {sys.platform}")
    if importlib.util.find_spec("ray.autoscaler._private.fake_multi_node.node_provider") is None:
        pytest.skip("this Ray has no fake_multinode provider "
                    "(ray.autoscaler._private.fake_multi_node)")


def _group_alive(pgid: int) -> list[str]:
    ps = subprocess.run(["ps", "-eo", "pgid=,stat=,args="], capture_output=True, text=True)
    return [ln for ln in ps.stdout.splitlines()
            if ln.split()[0] == str(pgid) and not ln.split()[1].startswith("Z")]


def _stop_group(pgid: int) -> None:
    """SIGTERM the head's process group, SIGKILL what is left after 5 s (Ray's daemons
    may ignore SIGTERM); zombies left to a non-reaping init do not count."""
    for sig, wait_s in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline and _group_alive(pgid):
            time.sleep(0.2)
        if not _group_alive(pgid):
            return


@contextmanager
def fake_cluster() -> Iterator[dict]:
    """A fake autoscaling cluster on loopback: yields ``address``, ``env`` (of a client:
    auth off, loopback only), ``gcs`` (a GcsClient) and ``logs``."""
    from ray._raylet import GcsClient

    # short path: Ray's unix sockets under the temp dir must stay under 107 bytes
    state = Path(tempfile.mkdtemp(prefix="qray-fake-", dir="/tmp"))
    port = free_port()
    config = yaml.safe_load(CONFIG.read_text())
    config["provider"]["gcs_address"] = f"127.0.0.1:{port}"  # where launched workers join
    (state / "autoscaling.yaml").write_text(yaml.safe_dump(config))
    env = user_env(RAY_AUTH_MODE="disabled", RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER="0",
                   RAY_USAGE_STATS_ENABLED="0")
    env.pop("RAY_ADDRESS", None)
    head_env = dict(env, RAY_FAKE_CLUSTER="1", AUTOSCALER_UPDATE_INTERVAL_S="1",
                    AUTOSCALER_METRIC_PORT=str(free_port()))
    ray_bin = str(Path(sys.executable).parent / "ray")
    cmd = [ray_bin, "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
           "--num-cpus=0", "--object-store-memory=100000000",
           f"--autoscaling-config={state / 'autoscaling.yaml'}", f"--temp-dir={state / 'ray'}",
           "--include-dashboard=false", f"--dashboard-port={free_port()}",
           f"--dashboard-agent-listen-port={free_port()}",
           f"--metrics-export-port={free_port()}", f"--ray-client-server-port={free_port()}",
           "--disable-usage-stats"]
    with open(state / "start.log", "w") as log:
        # a new session: the head's daemons, and the workers its autoscaler starts, share
        # one process group, whose id is this pid
        head = subprocess.Popen(cmd, cwd=ROOT, env=head_env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        rc = head.wait(timeout=180)
    pgid = head.pid
    logs = state / "ray" / "session_latest" / "logs"
    try:
        assert rc == 0, (state / "start.log").read_text()[-3000:]
        gcs = GcsClient(address=f"127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        while _autoscaler_report(gcs) is None:  # the monitor's first round
            err = gcs.internal_kv_get(b"__autoscaling_error", None)
            if err:
                pytest.skip(f"the fake multi-node autoscaler cannot run here: {err.decode()}")
            assert time.monotonic() < deadline, _tail(logs / "monitor.err")
            time.sleep(0.5)
        yield {"address": f"127.0.0.1:{port}", "env": env, "gcs": gcs, "logs": logs}
    finally:
        _stop_group(pgid)
        left = _group_alive(pgid)
        shutil.rmtree(state, ignore_errors=True)
        assert not left, f"the fake cluster's processes are still running: {left}"


def _tail(path: Path, n: int = 3000) -> str:
    return path.read_text(errors="replace")[-n:] if path.exists() else f"(no {path})"


def _autoscaler_report(gcs) -> dict | None:
    raw = gcs.internal_kv_get(b"__autoscaling_status", None)
    return json.loads(raw)["autoscaler_report"] if raw else None


def _workers(gcs) -> list:
    """Alive nodes of the sim-worker type, as the GCS has them."""
    from ray.core.generated import gcs_pb2

    return [n for n in gcs.get_all_node_info(timeout=10).values()
            if n.state == gcs_pb2.GcsNodeInfo.ALIVE and n.node_type_name == WORKER_TYPE]


def _sweep(cluster: dict, out: Path, log: Path, *extra: str) -> subprocess.Popen:
    """``python jobs/sweep.py`` against the cluster, its output (stdout and stderr) to
    ``log``; in its own session, so a hung one is stopped with its children."""
    args = [f"ray.address={cluster['address']}", "backends=[numpy]", "circuits=[ghz]",
            "n_qubits=[2,3]", "repetitions=2", "warmup=0", "summarize=false",
            "ray.include_dashboard=false", f"output_dir={out}", "resources.numpy.num_cpus=1",
            *extra]
    with open(log, "w") as f:
        return subprocess.Popen([sys.executable, "jobs/sweep.py", *args], cwd=ROOT,
                                env=cluster["env"], stdout=f, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _wait(proc: subprocess.Popen, timeout: float, every: float = 0.5, each=None) -> None:
    """Wait for ``proc`` (calling ``each()`` every ``every`` s); kill its session and fail
    after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"the sweep did not finish within {timeout:.0f} s")
        if each is not None:
            each()
        time.sleep(every)


def test_fake_cluster_scales_up_for_the_sweep_and_down_after(tmp_path: Path) -> None:
    _skip_unless_provider_can_run()
    t0 = time.monotonic()
    with fake_cluster() as cluster:
        gcs = cluster["gcs"]
        up_s = time.monotonic() - t0
        assert not _workers(gcs), "a sim-worker runs before any demand"
        assert WORKER_TYPE not in _autoscaler_report(gcs)["active_nodes"]

        # nothing can ever satisfy 3 simhost_fake (a sim-worker offers 2): refused up front
        bad = _sweep(cluster, tmp_path / "bad", tmp_path / "bad.log",
                     f"resources.numpy.resources.{RESOURCE}=3")
        _wait(bad, 300)
        err = (tmp_path / "bad.log").read_text()
        assert bad.returncode != 0
        assert (f"config key 'resources.numpy.resources.{RESOURCE}': value 3 cannot be "
                f"satisfied: the largest node has 2 {RESOURCE} (cluster total 0)") in err, err
        assert not (tmp_path / "bad").exists()

        # only a sim-worker offers simhost_fake: the autoscaler must launch one
        t_sweep = time.monotonic()
        sweep = _sweep(cluster, tmp_path / "out", tmp_path / "out.log",
                       f"resources.numpy.resources.{RESOURCE}=1")
        seen: list[tuple[float, int]] = []  # (s since the sweep started, alive sim-workers)

        def watch() -> None:
            seen.append((time.monotonic() - t_sweep, len(_workers(gcs))))

        _wait(sweep, 400, each=watch)
        sweep_s = time.monotonic() - t_sweep
        assert sweep.returncode == 0, (_tail(tmp_path / "out.log"),
                                       _tail(cluster["logs"] / "monitor.log"))
        first_seen = next((t for t, n in seen if n), None)
        most = max((n for _, n in seen), default=0)
        assert first_seen is not None, "no sim-worker node was seen while the sweep ran"
        assert most == 1  # max_workers of sim-worker

        table, problems = read_dataset((tmp_path / "out" / "latest").resolve() / "simulators")
        df = table.to_pandas()
        assert not problems and len(df) == 2 * 2
        assert (df["status"] == "ok").all()
        assert df["task_id"].is_unique and set(df["n_qubits"]) == {2, 3}

        # idle for idle_timeout_minutes, the worker is stopped and leaves the cluster
        t_idle = time.monotonic()
        while _workers(gcs) or WORKER_TYPE in _autoscaler_report(gcs)["active_nodes"]:
            assert time.monotonic() - t_idle < IDLE_S + 90, (
                "the sim-worker was not scaled down", _tail(cluster["logs"] / "monitor.log"))
            time.sleep(1)
        down_s = time.monotonic() - t_idle
        monitor_log = (cluster["logs"] / "monitor.log").read_text(errors="replace")
        assert f"Adding 1 node(s) of type {WORKER_TYPE}" in monitor_log, monitor_log[-3000:]
        assert f"Removing 1 nodes of type {WORKER_TYPE} (idle)" in monitor_log
    figure("fake multi-node autoscaling", head_up_s=f"{up_s:.1f}",
           worker_seen_after_s=f"{first_seen:.1f}", sweep_s=f"{sweep_s:.1f}",
           rows=len(df), scaled_down_after_s=f"{down_s:.1f}", idle_timeout_s=IDLE_S,
           total_s=f"{time.monotonic() - t0:.1f}")
