"""SIGKILL the driver (and its embedded Ray) mid-sweep at three different points and rerun
each time: the final dataset is complete, no task appears twice, and rows written before
a kill are never rewritten."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, parquet_files, run_job, user_env
from tests.reliability.helpers import figure

POINTS = 30
REPS = 2
ARGS = ["ray.include_dashboard=false", "ray.num_cpus=2", "backends=[numpy]",
        "circuits=[random]", "n_qubits=[8]", f"depth={{start: 1, stop: {POINTS}}}",
        f"repetitions={REPS}", "max_parallel=1", "summarize=false", "sweep_id=killed3",
        "warmup=0", f"execution.chunk_tasks={REPS}"]  # a chunk (a file) per point


def _kill_after(args: list[str], folder: Path, n_files: int) -> int:
    proc = subprocess.Popen([sys.executable, "jobs/sweep.py", *args], cwd=ROOT, env=user_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and len(parquet_files(folder)) < n_files and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(3)  # a trial worker of the dead cluster may still finish its file
    return len(parquet_files(folder))


@pytest.mark.slow  # about 90 s; the default suite kills the driver once in tests/jobs/test_sweep_cli.py
def test_driver_killed_at_three_points_then_rerun(tmp_path: Path) -> None:
    args = [*ARGS, f"output_dir={tmp_path}"]
    folder = tmp_path / "killed3" / "simulators"
    history = []
    for target in (5, 12, 20):  # three different points of the same sweep
        before = {p: p.stat().st_mtime_ns for p in parquet_files(folder)}
        found = _kill_after(args, folder, target)
        # nothing written before this kill was rewritten by the killed run
        assert {p: p.stat().st_mtime_ns for p in before} == before
        df = read_dataset(folder)[0].to_pandas()
        assert df["task_id"].is_unique
        history.append(found)
    assert history == sorted(history) and history[-1] < POINTS
    res = run_job("sweep.py", *args)
    assert res.returncode == 0, res.stderr[-3000:]
    done = re.search(r"(\d+) already done, (\d+) run", res.stdout)
    df = read_dataset(folder)[0].to_pandas()
    figure("driver SIGKILLed at three points", kills=3, point_files_at_each_kill=history,
           tasks_done_before_final_rerun=done.group(1), tasks_run_by_final_rerun=done.group(2),
           rows_expected=POINTS * REPS, rows_found=len(df),
           duplicate_task_ids=len(df) - df["task_id"].nunique())
    assert int(done.group(1)) == history[-1] * REPS
    assert len(df) == POINTS * REPS and df["task_id"].is_unique and (df["status"] == "ok").all()
    res = run_job("sweep.py", *args)
    assert f"{POINTS * REPS} already done, 0 run in 0 trials" in res.stdout
