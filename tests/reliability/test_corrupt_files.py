"""A truncated and a garbage Parquet file in a finished sweep: the summary reports and
skips them, and the rerun redoes exactly their tasks, then sets the two files aside."""

from __future__ import annotations

from pathlib import Path

import actors
from qray.results import read_dataset
from qray.summary import summarize_sweep
from tests.reliability.helpers import figure

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "simulators.yaml"
OVER = ["ray.include_dashboard=false", "summarize=false", "backends=[numpy,stim]",
        "circuits=[ghz,clifford]", "n_qubits=[3,4,5]", "depth=[4]", "repetitions=2", "warmup=0",
        "execution.chunk_tasks=2"]


def test_corrupt_files_are_reported_skipped_and_redone(ray_session, tmp_path: Path) -> None:
    over = [*OVER, f"output_dir={tmp_path}"]
    report = actors.sweep(CONF, over)
    folder = report.sweep_dir / "simulators"
    files = sorted(folder.glob("*.parquet"))
    assert report.complete and len(files) == 12
    truncated, garbage = files[0], files[5]
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    garbage.write_bytes(b"not a parquet file at all")
    keep = {p: p.stat().st_mtime_ns for p in files if p not in (truncated, garbage)}

    summary = summarize_sweep(report.sweep_dir)
    assert "2 result file(s) skipped" in summary.markdown
    assert truncated.name in summary.markdown and garbage.name in summary.markdown
    table, problems = read_dataset(folder)
    assert {p.path.name for p in problems} == {truncated.name, garbage.name}
    assert table.num_rows == 24 - 4

    rerun = actors.sweep(CONF, over)
    df = read_dataset(folder)[0].to_pandas()
    figure("corrupt Parquet files", files_corrupted=2, tasks_rerun=rerun.run_tasks,
           rows_expected=24, rows_found=len(df), duplicate_task_ids=len(df) - df["task_id"].nunique(),
           unreadable_after_rerun=len(read_dataset(folder)[1]))
    assert rerun.run_tasks == 4 and rerun.skipped_tasks == 20
    assert len(df) == 24 and df["task_id"].is_unique
    assert not read_dataset(folder)[1]
    # the unreadable files are kept, renamed, once their tasks have rows again
    assert {p.name for p in folder.glob("*.unreadable")} == {
        truncated.name + ".unreadable", garbage.name + ".unreadable"}
    # the intact files were not rewritten
    assert {p: p.stat().st_mtime_ns for p in keep} == keep
