"""``python jobs/qkernel.py`` run as a user runs it."""

from __future__ import annotations

from pathlib import Path

from qray.results import read_dataset
from tests.jobs.helpers import run_job

SMALL = ["ray.include_dashboard=false", "ray.num_cpus=2"]


def test_qkernel_cli_end_to_end(tmp_path: Path) -> None:
    res = run_job("qkernel.py", "--full-summary", *SMALL, f"output_dir={tmp_path}", "n_samples=300", "folds=3",
                  "n_qubits=[6]", "layers=[1,2]", "backends=[numpy,numba]", "tiles=[128]")
    assert res.returncode == 0, res.stderr[-3000:]
    assert "RBF-SVM (classical reference)" in res.stdout
    assert "computed the classical product kernel" in res.stdout
    sweep_dir = (tmp_path / "latest").resolve()
    table, problems = read_dataset(sweep_dir / "qkernels")
    assert table.num_rows == 4 and not problems
    for name in ("summary.md", "results.csv", "throughput.png"):
        assert (sweep_dir / name).stat().st_size > 0, name
    again = run_job("summarize.py", str(tmp_path / "latest"))
    assert again.returncode == 0 and "RBF-SVM" in again.stdout


def test_qkernel_bad_input_fails_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run_job("qkernel.py", f"output_dir={out}", "backends=[numpy,opencl]")
    assert res.returncode == 2
    assert "config key 'backends[1]'" in res.stderr and "opencl" in res.stderr
    res = run_job("qkernel.py", f"output_dir={out}", "layers=[0]")
    assert res.returncode == 2 and "'layers[0]'" in res.stderr
    assert not out.exists()
