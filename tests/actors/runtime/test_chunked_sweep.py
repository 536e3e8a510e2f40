"""Chunked sweeps on the shared embedded Ray: a trial per chunk, a file per chunk, each
task in exactly one row on disk through reruns, older per-point folders resumed, and the
node that ran each row."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import actors
from qray.results import read_dataset, rows_to_table, write_table_atomic
from qray.simulators.rows import SCHEMA

CONF = Path(__file__).resolve().parents[3] / "jobs" / "conf" / "simulators.yaml"


def _files(sweep_dir: Path) -> list[Path]:
    return sorted((sweep_dir / "simulators").glob("*.parquet"))


def _rows_on_disk(sweep_dir: Path) -> int:
    """Rows in the files themselves (the reader's one-row-per-task view aside)."""
    return sum(pq.ParquetFile(p).metadata.num_rows for p in _files(sweep_dir))


@pytest.mark.parametrize("runner", ["tune", "driver"])
def test_a_chunk_per_trial_and_file_and_rows_name_their_node(ray_session, tmp_path: Path,
                                                              quiet_cfg, runner: str) -> None:
    """The same units whether Tune trials or the driver's threads run them."""
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy,stim]", "circuits=[ghz]",
            "n_qubits=[2,3]", "repetitions=10", "execution.chunk_tasks=8",
            f"execution.runner={runner}"]
    report = actors.sweep(CONF, over)
    # 20 tasks per backend in chunks of 8: 3 chunks each
    assert report.complete and report.run_tasks == 40 and report.trials == 6
    assert report.chunk_tasks == 8 and len(_files(report.sweep_dir)) == 6
    assert all(p.name.startswith("chunk-") for p in _files(report.sweep_dir))
    df = read_dataset(report.sweep_dir / "simulators")[0].to_pandas()
    assert len(df) == 40 and df["task_id"].is_unique
    node = ray_session.get_runtime_context().get_node_id()
    assert set(df["node_id"]) == {node} and df["host"].notna().all()
    # Tune's state of a finished run is removed; the run is logged
    assert not (report.sweep_dir / "_tune").exists()
    runs = [json.loads(line) for line in (report.sweep_dir / "runs.jsonl").read_text().splitlines()]
    assert runs[-1]["run"] == 40 and runs[-1]["trials"] == 6 and runs[-1]["ray_used"]

    again = actors.sweep(CONF, over)
    assert again.run_tasks == 0 and again.trials == 0 and not again.ray_used
    assert len(_files(report.sweep_dir)) == 6


@pytest.mark.slow  # about 25 s; --rerun-failed is also tested in tests/actors/runtime/test_driver.py
def test_rerun_failed_keeps_each_task_in_one_row_on_disk(ray_session, tmp_path: Path,
                                                         quiet_cfg) -> None:
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]", "circuits=[random]",
            "n_qubits=[10]", "depth=[10,12]", "repetitions=3", "exact_max_qubits=0",
            "sweep_id=rerun-chunks", "execution.chunk_tasks=2"]
    first = actors.sweep(CONF, [*over, "timeout_s=0.0005"], summarize=False)
    df = read_dataset(first.sweep_dir / "simulators")[0].to_pandas()
    failed = set(df[df["status"] != "ok"]["task_id"])
    assert failed and len(df) == 6 and _rows_on_disk(first.sweep_dir) == 6
    retry = actors.sweep(CONF, over, rerun_failed=True, summarize=False)
    assert retry.run_tasks == len(failed)
    df = read_dataset(retry.sweep_dir / "simulators")[0].to_pandas()
    assert len(df) == 6 and df["task_id"].is_unique and (df["status"] == "ok").all()
    # the failed rows were dropped from their old files, not just hidden by the reader
    assert _rows_on_disk(retry.sweep_dir) == 6


def test_a_per_point_folder_of_an_older_sweep_reads_and_resumes(ray_session, tmp_path: Path,
                                                                quiet_cfg) -> None:
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]", "circuits=[ghz]",
            "n_qubits=[2,3,4]", "repetitions=2", "sweep_id=legacy"]
    report = actors.sweep(CONF, over, summarize=False)
    folder = report.sweep_dir / "simulators"
    rows = read_dataset(folder, schema=SCHEMA)[0].to_pylist()
    for p in _files(report.sweep_dir):  # the layout before chunks: one file per point
        p.unlink()
    by_point: dict[str, list[dict]] = {}
    for row in rows:
        if row["n_qubits"] != 4:  # the last point was never run
            by_point.setdefault(row["point_id"], []).append(row)
    for point_id, point_rows in by_point.items():
        write_table_atomic(rows_to_table(point_rows, SCHEMA), folder / f"{point_id}.parquet")
    (folder / "files.jsonl").unlink()  # nor did older sweeps record their files
    manifest = json.loads((report.sweep_dir / "sweep.json").read_text())
    del manifest["format"]
    (report.sweep_dir / "sweep.json").write_text(json.dumps(manifest))

    resumed = actors.sweep(CONF, over, summarize=True)
    assert resumed.skipped_tasks == 4 and resumed.run_tasks == 2
    df = read_dataset(folder)[0].to_pandas()
    assert len(df) == 6 and df["task_id"].is_unique and _rows_on_disk(report.sweep_dir) == 6
    names = [p.name for p in _files(report.sweep_dir)]
    assert sorted(n for n in names if not n.startswith("chunk-")) == sorted(
        f"{p}.parquet" for p in by_point)  # the point files are kept as they were
    adopted = [json.loads(line) for line in (folder / "files.jsonl").read_text().splitlines()]
    assert sorted(e["file"] for e in adopted if e.get("adopted")) == sorted(
        f"{p}.parquet" for p in by_point)  # recorded as found, then read as the sweep's
