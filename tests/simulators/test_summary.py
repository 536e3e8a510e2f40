"""The simulator summary on rows made in-process (no Ray)."""

from __future__ import annotations

import json
from pathlib import Path

from qray.results import rows_to_table, write_table_atomic
from qray.simulators.rows import SCHEMA
from qray.simulators.worker import SimulatorWorker
from qray.summary import summarize_sweep


def _spec(i: int, backend: str, n: int, noise: float = 0.0) -> dict:
    return {"task_id": f"{backend}-{n}-{noise}-{i}", "point_id": f"{backend}{n}{noise}",
            "sweep_id": "s", "seed": i, "timeout_s": 60,
            "params": {"backend": backend, "circuit": "ghz", "n_qubits": n, "depth": 0,
                       "noise": noise, "noise_2q": None, "readout_error": 0.0, "shots": 500,
                       "circuit_seed": 1, "repetition": i}}


def test_summary_tables_plots_and_corrupt_file(tmp_path: Path) -> None:
    sweep = tmp_path / "s"
    (sweep / "simulators").mkdir(parents=True)
    (sweep / "sweep.json").write_text(json.dumps({"workload": "simulators"}))
    for backend in ("numpy", "stim"):
        w = SimulatorWorker(backend)
        for n in (3, 5):
            for noise in (0.0, 0.05):
                rows = [w.run_task(_spec(i, backend, n, noise)) for i in range(2)]
                write_table_atomic(rows_to_table(rows, SCHEMA),
                                   sweep / "simulators" / f"{backend}{n}{noise}.parquet")
    (sweep / "simulators" / "broken.parquet").write_bytes(b"PAR1 truncated")
    summary = summarize_sweep(sweep)
    md = summary.markdown
    assert "1 result file(s) skipped" in md and "broken.parquet" in md
    assert "| numpy |" in md and "| stim |" in md
    assert "Largest pairwise TVD: 0.00e+00" in md
    assert "GHZ population" in md
    assert (sweep / "time_vs_qubits.png").stat().st_size > 1000
    assert {p.name for p in summary.files} >= {"summary.md", "times.csv", "agreement.csv"}
