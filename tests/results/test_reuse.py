"""Rows reused by task across the sweeps of one output folder: widening a grid runs only
the new tasks, each sweep folder holds each of its tasks once, and a sweep shows exactly
its current plan's tasks."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

import actors
from qray.results import load
from qray.results.reader import parquet_files

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "ci_small.yaml"
BASE = ["circuits=[ghz]", "repetitions=2", "summarize=true", "ray.include_dashboard=false"]


def _on_disk(sweep_dir: Path) -> list[str]:
    ids: list[str] = []
    for p in parquet_files(sweep_dir / "simulators"):
        ids += pq.read_table(p, columns=["task_id"]).column("task_id").to_pylist()
    return ids


def test_widening_a_grid_twice_runs_only_the_new_tasks(ray_session, tmp_path: Path) -> None:
    out = [f"output_dir={tmp_path}"]
    first = actors.sweep(CONF, [*BASE, *out, "backends=[numpy]", "n_qubits=[3]"])
    assert (first.run_tasks, first.reused_tasks) == (2, 0)
    wider = actors.sweep(CONF, [*BASE, *out, "backends=[numpy]", "n_qubits=[3,5]"])
    assert wider.sweep_dir != first.sweep_dir
    assert (wider.total_tasks, wider.run_tasks, wider.reused_tasks) == (4, 2, 2)
    backend = actors.sweep(CONF, [*BASE, *out, "backends=[numpy,stim]", "n_qubits=[3,5]"])
    assert (backend.total_tasks, backend.run_tasks, backend.reused_tasks) == (8, 4, 4)
    for report in (first, wider, backend):
        ids = _on_disk(report.sweep_dir)
        assert len(ids) == len(set(ids)) == report.total_tasks  # each task once on disk
        assert report.status_counts == {"ok": report.total_tasks}
        assert len(load(report.sweep_dir)) == report.total_tasks
        summary = (report.sweep_dir / "summary.md").read_text()
        assert f"{report.total_tasks} rows, {report.total_tasks} distinct tasks" in summary
    assert "4 of its 8 rows were run by other sweeps" in (backend.sweep_dir / "summary.md"
                                                           ).read_text()
    runs = [json.loads(line) for line in (backend.sweep_dir / "runs.jsonl").read_text()
            .splitlines()]
    assert runs[-1]["reused"] == 4 and sum(runs[-1]["reused_from"].values()) == 4
    # narrowing runs nothing and starts no Ray
    narrow = actors.sweep(CONF, [*BASE, *out, "backends=[stim]", "n_qubits=[5]"])
    assert (narrow.run_tasks, narrow.reused_tasks, narrow.ray_used) == (0, 2, False)


def test_a_pinned_sweep_id_shows_its_current_plan(ray_session, tmp_path: Path) -> None:
    over = [*BASE, f"output_dir={tmp_path}", "sweep_id=pinned", "backends=[numpy]"]
    before = actors.sweep(CONF, [*over, "n_qubits=[3,5]"])
    assert before.run_tasks == 4
    after = actors.sweep(CONF, [*over, "n_qubits=[5]", "shots=300"])
    assert after.sweep_dir == before.sweep_dir and after.run_tasks == 2
    df = load(after.sweep_dir)  # the view of the current plan: n=5 at 300 shots only
    assert len(df) == 2 and set(df["n_qubits"]) == {5} and set(df["shots"]) == {300}
    assert len(_on_disk(after.sweep_dir)) == 6  # the earlier plan's rows stay on disk
    back = actors.sweep(CONF, [*over, "n_qubits=[3,5]"])
    assert back.run_tasks == 0 and len(load(back.sweep_dir)) == 4
