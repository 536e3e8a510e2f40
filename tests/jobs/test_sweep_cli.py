"""``python jobs/sweep.py`` and ``jobs/summarize.py`` run as a user runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, parquet_files, run_job, user_env

SMALL = ["ray.include_dashboard=false", "ray.num_cpus=2"]


def test_sweep_cli_end_to_end(tmp_path: Path) -> None:
    res = run_job("sweep.py", *SMALL, f"output_dir={tmp_path}", "backends=[numpy,qsim,stim]",
                  "circuits=[ghz,qft]", "n_qubits=[3,5]", "repetitions=2")
    assert res.returncode == 0, res.stderr[-3000:]
    # the first table and where the rest is; summary.md has all of it
    assert "## Rows by status" in res.stdout and "| qsim |" in res.stdout
    assert "--full-summary prints them" in res.stdout
    assert "## Median time per run [ms]" not in res.stdout
    assert "## Median time per run [ms]" in (tmp_path / "latest" / "summary.md").read_text()
    sweep_dir = (tmp_path / "latest").resolve()
    table, problems = read_dataset(sweep_dir / "simulators")
    assert table.num_rows == 3 * 2 * 2 * 2 and not problems
    for name in ("summary.md", "times.csv", "time_vs_qubits.png", "agreement.csv"):
        assert (sweep_dir / name).stat().st_size > 0, name
    again = run_job("summarize.py", str(tmp_path / "latest"))
    assert again.returncode == 0 and "Cross-backend agreement" in again.stdout


def test_bad_input_fails_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run_job("sweep.py", f"output_dir={out}", "shots=-3")
    assert res.returncode == 2
    assert "config key 'shots': shots must be positive, got -3; allowed: an integer >= 1" in res.stderr
    res = run_job("sweep.py", f"output_dir={out}", "backends=[qsimm]")
    assert res.returncode == 2 and "did you mean 'qsim'?" in res.stderr
    assert not out.exists()


def test_kill_driver_mid_sweep_then_rerun(tmp_path: Path) -> None:
    """SIGKILL the driver (and its embedded Ray) mid-sweep; the rerun produces exactly the
    full set of rows, none twice; a second rerun does no work."""
    args = [*SMALL, f"output_dir={tmp_path}", "backends=[numpy]", "circuits=[random]",
            "n_qubits=[8]", "depth={start: 1, stop: 24}", "repetitions=3", "max_parallel=1",
            "summarize=false", "sweep_id=killed", "execution.chunk_tasks=3"]  # a file a point
    proc = subprocess.Popen([sys.executable, "jobs/sweep.py", *args], cwd=ROOT, env=user_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    sweep_dir = tmp_path / "killed" / "simulators"
    deadline = time.time() + 300
    while time.time() < deadline and len(parquet_files(sweep_dir)) < 4 and proc.poll() is None:
        time.sleep(0.1)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(3)  # a trial worker of the dead cluster may still finish its file
    before = {p: p.stat().st_mtime_ns for p in parquet_files(sweep_dir)}
    assert 4 <= len(before) < 24
    res = run_job("sweep.py", *args)
    assert res.returncode == 0, res.stderr[-3000:]
    assert f"{len(before) * 3} already done, {72 - len(before) * 3} run" in res.stdout
    # what was written before the kill is kept as it was, not rewritten
    assert {p: p.stat().st_mtime_ns for p in before} == before
    df = read_dataset(sweep_dir)[0].to_pandas()
    assert len(df) == 24 * 3 and df["task_id"].is_unique and (df["status"] == "ok").all()
    mtimes = {p: p.stat().st_mtime_ns for p in parquet_files(sweep_dir)}
    res = run_job("sweep.py", *args)
    assert res.returncode == 0 and "72 already done, 0 run in 0 trials" in res.stdout
    assert {p: p.stat().st_mtime_ns for p in parquet_files(sweep_dir)} == mtimes


def test_python_m_qray_backends() -> None:
    res = subprocess.run([sys.executable, "-m", "qray", "backends"], cwd=ROOT, env=user_env(),
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0
    table = res.stdout.split("\n\n")[0].splitlines()[1:]  # the status table, before the options
    lines = {line.split()[0]: line for line in table}
    assert "available" in lines["numpy"] and "available" in lines["stim"]
    assert "unavailable" in lines["qiskit-aer-gpu"] and "GPU" in lines["qiskit-aer-gpu"]
    probe = ("import sys; from qray.simulators.listing import list_backends; list_backends();"
             "print(sorted(m for m in ('qiskit_aer', 'cirq', 'qsimcirq', 'stim', 'cupy', 'torch')"
             " if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=user_env(),
                         capture_output=True, text=True, timeout=120)
    assert res.stdout.strip() == "[]"  # listing imports no simulator library


@pytest.mark.slow  # about 25 s; netsim sweeps run through the driver in tests/actors/runtime/test_allocator_actor.py
def test_netsim_sweep_cli_prints_the_efficiency_table(tmp_path: Path) -> None:
    res = run_job("sweep.py", "--full-summary", "--config", "jobs/conf/netsim_paper2.yaml", *SMALL,
                  f"output_dir={tmp_path}", "horizons=[400,600]", "runs=2",
                  "learners=[Oracle,UCB1,GNeuralUCB]", "scenarios=[none,markov]")
    assert res.returncode == 0, res.stderr[-3000:]
    assert "### paper2, Default allocator" in res.stdout
    assert "| learner | none | markov |" in res.stdout and "| Oracle | 100.0 ± 0.0† |" in res.stdout
    # the studied code's log is of the port's model: no comparison for the authors' model
    assert "against the studied code's log" not in res.stdout
    sweep_dir = (tmp_path / "latest").resolve()
    table, problems = read_dataset(sweep_dir / "netsim")
    assert table.num_rows == 3 * 2 * 2 * 2 and not problems
