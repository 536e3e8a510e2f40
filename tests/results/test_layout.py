"""The result layout: the task index, dropping superseded rows, repairing duplicates and
setting aside unreadable files."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from qray.results import make_schema, read_dataset, rows_to_table, write_table_atomic
from qray.results.layout import (
    chunk_path,
    drop_superseded,
    is_qray_file,
    read_index,
    repair_duplicates,
    set_aside_unreadable,
)

#: the common columns only (a reader accepts files that lack a workload's own columns)
SCHEMA = make_schema([], workload="simulators")


def _row(task: str, status: str = "ok") -> dict:
    return {"sweep_id": "s", "workload": "simulators", "task_id": task, "point_id": "p",
            "status": status}


def _write(path: Path, rows: list[dict], age: int) -> Path:
    write_table_atomic(rows_to_table(rows, SCHEMA), path)
    os.utime(path, ns=(age, age))
    return path


def test_index_maps_tasks_to_status_and_file_and_finds_duplicates(tmp_path: Path) -> None:
    old = _write(chunk_path(tmp_path, "20260101T000000-1", 0), [_row("a"), _row("b", "error")], 1)
    new = _write(chunk_path(tmp_path, "20260102T000000-2", 0), [_row("b")], 2)
    index = read_index(tmp_path, SCHEMA)
    assert index.status == {"a": "ok", "b": "ok"} and index.where["b"] == new
    assert index.duplicates == {"b": [old, new]}
    # the reader counts the task once, with its newest row
    table = read_dataset(tmp_path, schema=SCHEMA)[0]
    assert table.num_rows == 2 and table.column("status").to_pylist() == ["ok", "ok"]
    assert repair_duplicates(tmp_path, index) == 1
    assert pq.read_table(old).column("task_id").to_pylist() == ["a"]
    assert read_index(tmp_path, SCHEMA).duplicates == {}


def test_dropping_superseded_rows_removes_an_emptied_file(tmp_path: Path) -> None:
    a = _write(chunk_path(tmp_path, "20260101T000000-1", 0), [_row("a", "error")], 1)
    b = _write(chunk_path(tmp_path, "20260101T000000-1", 1), [_row("b", "error"), _row("c")], 1)
    assert drop_superseded(tmp_path, {str(a): ["a"], str(b): ["b"]}) == 2
    assert not a.exists() and pq.read_table(b).column("task_id").to_pylist() == ["c"]


def test_files_qray_did_not_name_are_never_rewritten_or_moved(tmp_path: Path) -> None:
    mine = _write(tmp_path / "notes.parquet", [_row("a")], 1)
    assert not is_qray_file(mine)
    assert drop_superseded(tmp_path, {str(mine): ["a"]}) == 0
    assert pq.read_table(mine).num_rows == 1
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    ours = chunk_path(tmp_path, "20260101T000000-1", 3)
    ours.write_bytes(b"PAR1 truncated")
    index = read_index(tmp_path, SCHEMA)
    assert sorted(p.name for p in index.unreadable) == [broken.name, ours.name]
    moved = set_aside_unreadable(index)
    assert [p.name for p in moved] == [ours.name + ".unreadable"]
    assert broken.exists() and not ours.exists()


def test_a_foreign_file_is_reported_as_a_mismatch_not_unreadable(tmp_path: Path) -> None:
    pq.write_table(pa.table({"x": [1]}), tmp_path / "0123456789abcdef01234567.parquet")
    index = read_index(tmp_path, SCHEMA)
    assert [p.kind for p in index.problems] == ["mismatch"] and not index.unreadable
