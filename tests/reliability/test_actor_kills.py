"""Kill a workload actor of each kind mid-sweep (SIGKILL of its process, as a crash or the
OOM killer would): every sweep completes with every row exactly once."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

import actors
from qray.results import read_dataset
from tests.reliability.helpers import figure

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "jobs" / "conf"
QUIET = ["ray.include_dashboard=false", "summarize=false"]

CASES = {
    # actor name to kill, config, overrides, workload folder, expected rows, point files
    # written before the kill
    "simulators actor": ("qray/simulators/numpy", "simulators.yaml",
                       ["backends=[numpy]", "circuits=[random]", "n_qubits=[9]",
                        "depth=[1,2,3,4,5,6]", "repetitions=4", "actor.batch_size=1",
                        "max_parallel=1", "exact_max_qubits=0", "warmup=0"],
                       "simulators", 24, 2),
    "netsim actor": ("qray/netsim/default-0", "netsim_default.yaml",
                       ["physics=[default]", "allocators=[Default]",
                        "learners=[UCB1,EXP3,Random,EpsilonGreedy]",
                        "scenarios=[none,adaptive]", "horizons=[1500]", "runs=2",
                        "replicas=1", "max_parallel=1", "actor.batch_size=1"],
                       "netsim", 16, 3),
    "KernelWorker": ("qray/qkernels/numpy-1", "qkernels.yaml",
                     ["backends=[numpy]", "n_samples=600", "folds=3", "n_qubits=[6]",
                      "layers=[2,3,4,5]", "tiles=[32]", "workers=2",
                      "resources.default.num_cpus=0.5"],
                     "qkernels", 4, 1),
    "cloud actor": ("qray/cloud/Random", "cloud_eval.yaml",
                       ["heuristics=[Random]", "episodes=12", "episodes_per_point=2",
                        "actor.batch_size=1", "max_parallel=1"],
                       "cloud", 12, 2),
    "routing actor": ("qray/routing/lookahead", "routing_eval.yaml",
                    ["routers=[lookahead]", "maps=[grid-5x5]", "families=[random]",
                     "sizes=[4,5,6,7,8,9]", "instances=2", "actor.batch_size=1",
                     "max_parallel=1"],
                    "routing", 12, 2),
}


def _kill_when(ray, name: str, folder: Path, min_files: int, killed: list[int]) -> None:
    deadline = time.time() + 240
    while time.time() < deadline and not killed:
        n = len([p for p in folder.rglob("*.parquet") if not p.name.startswith(".tmp")])
        if n >= min_files:
            try:
                actor = ray.get_actor(name, namespace="qray")
                pid = ray.get(actor.info.remote(), timeout=30)["pid"]
            except Exception:
                time.sleep(0.05)
                continue
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            return
        time.sleep(0.05)


# two kinds by default (simulators, routing); `make test-all` runs all five
DEFAULT_KINDS = ("simulators actor", "routing actor")


@pytest.mark.parametrize("kind", [k if k in DEFAULT_KINDS else pytest.param(
    k, marks=pytest.mark.slow) for k in CASES])
def test_actor_killed_mid_sweep_loses_and_duplicates_nothing(ray_session, tmp_path: Path,
                                                            kind: str) -> None:
    ray = ray_session
    name, conf, overrides, workload, expected, min_files = CASES[kind]
    over = [*QUIET, f"output_dir={tmp_path}", *overrides]
    killed: list[int] = []
    t = threading.Thread(target=_kill_when,
                         args=(ray, name, tmp_path, min_files, killed), daemon=True)
    t.start()
    report = actors.sweep(CONF / conf, over, summarize=False)
    t.join(timeout=5)
    table, problems = read_dataset(report.sweep_dir / workload)
    df = table.to_pandas()
    figure(f"{kind} killed mid-sweep", killed_pids=killed, rows_expected=expected,
           rows_found=len(df), unique_tasks=df["task_id"].nunique(),
           not_ok=int((df["status"] != "ok").sum()))
    assert killed, f"the {kind} was never killed"
    assert report.complete and not problems
    assert len(df) == report.total_tasks == expected and df["task_id"].is_unique
    assert (df["status"] == "ok").all(), df["error"].dropna().tolist()
