"""Ctrl-C (or SIGTERM: ``kill``, ``ray job stop``) in the middle of a sweep: one line
that says how many tasks have rows and how to resume, exit 130 (143), no Tune restore hint,
no Ray crash dump, no Tune state left in the sweep folder, and a true count in
``runs.jsonl``; the same command then finishes the sweep."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.jobs.helpers import ROOT, parquet_files, user_env

NAP = "import time\n\ndef nap(x):\n    time.sleep(0.2)\n    return {'y': x}\n"


@pytest.mark.parametrize(("signum", "runner"), [
    (signal.SIGINT, "driver"), pytest.param(signal.SIGINT, "tune", marks=pytest.mark.slow),
    (signal.SIGTERM, "tune")])
def test_ctrl_c_says_how_many_tasks_have_rows_and_how_to_resume(tmp_path: Path, signum: int,
                                                                runner: str) -> None:
    (tmp_path / "nap.py").write_text(NAP)
    (tmp_path / "nap.yaml").write_text("experiment: nap.py:nap\ngrid: {x: {start: 1, stop: 120}}"
                                       "\nexecution: {chunk_tasks: 5, flush_s: 1}\n")
    cmd = [sys.executable, "jobs/sweep.py", "--config", str(tmp_path / "nap.yaml"),
           f"output_dir={tmp_path}", "sweep_id=nap", "summarize=false",
           "ray.include_dashboard=false", f"execution.runner={runner}"]
    # a terminal's Ctrl-C: SIGINT handled by default in the driver even when this test
    # runs under a shell that started it in the background (`make test &` ignores SIGINT
    # in every process it starts, and the ignored disposition is inherited)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=user_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    folder = tmp_path / "nap" / "experiment"
    deadline = time.time() + 240
    while time.time() < deadline and len(parquet_files(folder)) < 3 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep ended before the signal"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, out[-2000:] + err[-3000:]
    last = err.strip().splitlines()[-1]
    on_disk = sum(pq.ParquetFile(p).metadata.num_rows for p in parquet_files(folder))
    by = "Ctrl-C" if signum == signal.SIGINT else "SIGTERM"
    assert last == (f"stopped by {by}: {on_disk} of 120 tasks have rows; rerun the same "
                    "command to resume")
    assert "Tuner.restore" not in out + err
    assert "*** SIG" not in err and "Aborted" not in err  # no C++ crash dump
    assert not (tmp_path / "nap" / "_tune").exists()
    run = json.loads((tmp_path / "nap" / "runs.jsonl").read_text().splitlines()[-1])
    assert run["interrupted"] and run["run"] == on_disk and not run["complete"]
    again = subprocess.run(cmd, cwd=ROOT, env=user_env(), capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"120 tasks, {on_disk} already done, {120 - on_disk} run" in again.stdout
