"""An experiment's driver SIGKILLed mid-sweep (with its embedded Ray), then rerun with the
same command: every task ends up with exactly one row, and no row written before the
kill is run again."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from qray.results import read_dataset
from tests.experiment.helpers import write, yaml_file
from tests.jobs.helpers import ROOT, parquet_files, user_env

TASKS = 40
SLOW = "import time\n\ndef nap(x, seed):\n    time.sleep(0.15)\n    return {'x2': x * x}\n"


@pytest.mark.slow  # about 35 s; the default suite kills a driver in tests/jobs/test_sweep_cli.py
def test_an_experiment_resumes_after_its_driver_is_killed(tmp_path: Path) -> None:
    write(tmp_path, "nap.py", SLOW)
    cfg = yaml_file(tmp_path, f"experiment: nap.py:nap\ngrid: {{x: {{start: 1, stop: {TASKS}}}}}"
                              "\nmax_parallel: 1\nexecution: {chunk_tasks: 5}\n")
    args = [sys.executable, "jobs/sweep.py", "--config", str(cfg), f"output_dir={tmp_path}",
            "sweep_id=killed", "summarize=false", "ray.include_dashboard=false",
            "ray.num_cpus=2"]
    folder = tmp_path / "killed" / "experiment"
    proc = subprocess.Popen(args, cwd=ROOT, env=user_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and len(parquet_files(folder)) < 2 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(2)  # a trial worker of the dead cluster may still finish its file
    before = {p: p.stat().st_mtime_ns for p in parquet_files(folder)}
    had = sum(pq.ParquetFile(p).metadata.num_rows for p in before)
    assert 0 < had < TASKS
    res = subprocess.run(args, cwd=ROOT, env=user_env(), capture_output=True, text=True,
                         timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    done = int(re.search(r"(\d+) already done", res.stdout).group(1))
    assert done == had, "every row written before the kill is kept and not run again"
    assert {p: p.stat().st_mtime_ns for p in before if p.exists()} == \
        {p: t for p, t in before.items() if p.exists()}
    df = read_dataset(folder)[0].to_pandas()
    on_disk = sum(pq.ParquetFile(p).metadata.num_rows for p in parquet_files(folder))
    assert len(df) == on_disk == TASKS and df["task_id"].is_unique
    assert (df["status"] == "ok").all() and sorted(df["x"]) == list(range(1, TASKS + 1))
