"""SIGINT, SIGTERM and SIGKILL of the driver at five moments of a sweep (plan built, Ray
started, mid-trial, the summary being written, the last result file recorded but not yet
in place), each followed by a rerun that counts the rows: none lost, none twice, the
rerun runs exactly the tasks without a row, and no Tune state is left behind.

The moments are reached through failpoints (:mod:`qray.failpoints`): the driver pauses
there and the test sends its signal. The default suite runs SIGKILL during the last write; the 15
run under ``make reliability`` / ``make test-all``."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.compute as pc
import pytest

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, parquet_files, user_env
from tests.reliability.helpers import figure

N = 12  # tasks: 6 chunk files of 2
ARGS = ["ray.include_dashboard=false", "ray.num_cpus=2", "backends=[numpy]",
        "circuits=[ghz]", "n_qubits=[3,4,5,6,7,8]", "depth=[2]", "repetitions=2",
        "max_parallel=1", "sweep_id=signalled", "warmup=0", "execution.chunk_tasks=2",
        "execution.runner=tune", "execution.flush_s=600"]
MOMENTS = ("planned", "ray-started", "mid-trial", "summary", "write")
SIGNALS = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGKILL": signal.SIGKILL}
DEFAULT = {("SIGKILL", "write")}  # SIGINT and SIGTERM: tests/actors/runtime/test_interrupt.py


def _cases() -> list:
    return [pytest.param(s, m, marks=() if (s, m) in DEFAULT else pytest.mark.slow,
                         id=f"{s}-{m}") for s in SIGNALS for m in MOMENTS]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # as in a terminal, also under `make &`
    os.setsid()


def _rows(folder: Path) -> tuple[int, int]:
    table = read_dataset(folder)[0] if folder.exists() else None
    if table is None or table.num_rows == 0:
        return 0, 0
    return table.num_rows, pc.count_distinct(table.column("task_id")).as_py()


@pytest.mark.parametrize(("sig", "moment"), _cases())
def test_a_signal_at_each_moment_then_a_rerun(tmp_path: Path, sig: str, moment: str) -> None:
    folder = tmp_path / "signalled" / "simulators"
    marks = tmp_path / "marks"
    marks.mkdir()
    env = user_env(QRAY_FAILPOINT=moment, QRAY_FAILPOINT_DIR=str(marks),
                   QRAY_FAILPOINT_AFTER=str(N // 2 - 1), QRAY_FAILPOINT_S="20")
    summarize = "summarize=true" if moment == "summary" else "summarize=false"
    cmd = [sys.executable, "jobs/sweep.py", *ARGS, f"output_dir={tmp_path}", summarize]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    deadline = time.time() + 180
    while time.time() < deadline and proc.poll() is None:
        if moment == "mid-trial" and len(parquet_files(folder)) >= 2:
            break
        if (marks / f"{moment}.reached").exists():
            break
        time.sleep(0.05)
    assert proc.poll() is None, f"the sweep ended before {moment}: {proc.communicate()[1][-2000:]}"
    if SIGNALS[sig] == signal.SIGKILL:
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and the Ray it started
    else:
        proc.send_signal(SIGNALS[sig])
    out, err = proc.communicate(timeout=120)
    if SIGNALS[sig] == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        time.sleep(2)  # a trial worker of the dead cluster may still finish its file
    else:
        assert proc.returncode == 128 + SIGNALS[sig], err[-3000:]
        by = "Ctrl-C" if sig == "SIGINT" else "SIGTERM"
        assert re.search(rf"stopped by {by}: \d+ of {N} tasks have rows", err), err[-3000:]
        assert "Traceback" not in err and "*** SIG" not in err, err[-3000:]
        assert not (tmp_path / "signalled" / "_tune").exists()
    rows, distinct = _rows(folder)
    assert rows == distinct  # never a task twice, whatever the moment

    again = subprocess.run([sys.executable, "jobs/sweep.py", *ARGS, f"output_dir={tmp_path}",
                            "summarize=false"], cwd=ROOT, env=user_env(),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    done = re.search(r"(\d+) tasks, (\d+) already done, (\d+) run", again.stdout)
    assert done and int(done[1]) == N and int(done[2]) == rows and int(done[3]) == N - rows
    final, final_distinct = _rows(folder)
    assert final == final_distinct == N  # none lost, none twice
    assert not (tmp_path / "signalled" / "_tune").exists()
    figure(f"signal {sig} at {moment}", exit=proc.returncode, rows_at_stop=rows,
           rerun_ran=N - rows, rows_final=final, duplicates=final - final_distinct)
