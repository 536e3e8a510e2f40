"""Atomic writes and the tolerant dataset reader."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from qray.results import make_schema, read_dataset, read_ids, rows_to_table, write_table_atomic
from qray.results.writer import update_latest

SCHEMA = make_schema([pa.field("x", pa.int64())], workload="t")


def _row(i: int, status: str = "ok") -> dict:
    return {"sweep_id": "s", "workload": "t", "task_id": f"id{i}", "point_id": "p",
            "status": status, "x": i}


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "t" / "p.parquet"
    write_table_atomic(rows_to_table([_row(1)], SCHEMA), path)
    write_table_atomic(rows_to_table([_row(1), _row(2)], SCHEMA), path)
    assert [p.name for p in path.parent.iterdir()] == ["p.parquet"]
    table, problems = read_dataset(tmp_path)
    assert table.num_rows == 2 and not problems


def test_corrupt_file_is_reported_and_skipped(tmp_path: Path) -> None:
    write_table_atomic(rows_to_table([_row(1)], SCHEMA), tmp_path / "a.parquet")
    good = (tmp_path / "a.parquet").read_bytes()
    (tmp_path / "b.parquet").write_bytes(good[: len(good) // 2])
    ids, problems = read_ids(tmp_path)
    assert ids == {"id1": "ok"}
    assert [p.path.name for p in problems] == ["b.parquet"]


def test_schemas_are_unified(tmp_path: Path) -> None:
    old = make_schema([], workload="t")
    write_table_atomic(rows_to_table([{k: v for k, v in _row(1).items() if k != "x"}], old),
                       tmp_path / "old.parquet")
    write_table_atomic(rows_to_table([_row(2)], SCHEMA), tmp_path / "new.parquet")
    table, _ = read_dataset(tmp_path, schema=SCHEMA)
    assert sorted(table.column("x").to_pylist(), key=lambda v: (v is None, v)) == [2, None]


def test_rows_must_match_schema() -> None:
    with pytest.raises(ValueError, match="not in the schema"):
        rows_to_table([{**_row(1), "extra": 1}], SCHEMA)
    with pytest.raises(ValueError, match="status 'done'"):
        rows_to_table([_row(1, status="done")], SCHEMA)


def test_latest_pointer(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    update_latest(tmp_path, "a")
    update_latest(tmp_path, "b")
    assert (tmp_path / "latest").resolve() == (tmp_path / "b").resolve()


def test_stale_temp_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    import os

    from qray.results.writer import remove_stale_temp_files

    dead = tmp_path / ".tmp-p.parquet.999999999.abcd1234"
    live = tmp_path / f".tmp-q.parquet.{os.getpid()}.abcd1234"
    dead.write_bytes(b"x")
    live.write_bytes(b"x")
    assert remove_stale_temp_files(tmp_path) == [dead]
    assert live.exists() and not dead.exists()


def test_error_text_loses_terminal_colour_codes(tmp_path: Path) -> None:
    row = {**_row(1, "error"), "error": "\x1b[36mray::Worker\x1b[39m failed: \x1b[1;31mboom\x1b[0m"}
    table = rows_to_table([row], SCHEMA)
    assert table.column("error").to_pylist() == ["ray::Worker failed: boom"]


def test_files_of_another_schema_are_skipped_with_a_reason(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    write_table_atomic(rows_to_table([_row(1)], SCHEMA), tmp_path / "ours.parquet")
    old = pa.table({"task_id": ["id2"], "status": ["ok"], "x": pa.array([None], pa.null())})
    pq.write_table(old, tmp_path / "older.parquet")  # fewer columns, an all-null one: read
    pq.write_table(pa.table({"task_id": ["id3"], "status": ["ok"], "y": [1]}),
                   tmp_path / "extra.parquet")
    pq.write_table(pa.table({"task_id": ["id4"], "status": ["ok"], "x": ["text"]}),
                   tmp_path / "retyped.parquet")
    ids, problems = read_ids(tmp_path, SCHEMA)
    assert set(ids) == {"id1", "id2"}
    reasons = {p.path.name: p.reason for p in problems}
    assert reasons == {"extra.parquet": "columns not in the t schema: ['y']",
                       "retyped.parquet": "column 'x' is string, expected int64"}
