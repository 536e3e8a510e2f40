"""Reading a sweep's dataset: every Parquet file under a folder, one unified schema.

Files that cannot be read (truncated, corrupt) are reported and skipped rather than
failing the whole read, so a summary still works and a rerun redoes their tasks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from qray.results.writer import TMP_PREFIX

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatasetProblem:
    """A file of the dataset that could not be read."""

    path: Path
    reason: str


def parquet_files(folder: str | Path) -> list[Path]:
    """The dataset's Parquet files (temp files of in-flight writes excluded), sorted."""
    folder = Path(folder)
    if not folder.exists():
        return []
    return sorted(
        p for p in folder.rglob("*.parquet")
        if not p.name.startswith(TMP_PREFIX) and "_tune" not in p.parts
    )


def read_dataset(
    folder: str | Path,
    *,
    schema: pa.Schema | None = None,
    columns: list[str] | None = None,
) -> tuple[pa.Table, list[DatasetProblem]]:
    """Read all rows under ``folder``.

    Args:
        folder: the sweep folder (or a workload subfolder).
        schema: cast every file to this schema (columns missing in old files become
            nulls); ``None`` unifies the files' own schemas.
        columns: read only these columns.

    Returns:
        The concatenated table and the list of files that were skipped, with reasons.
    """
    tables: list[pa.Table] = []
    problems: list[DatasetProblem] = []
    for path in parquet_files(folder):
        try:
            table = pq.read_table(path, columns=columns)
        except Exception as exc:  # truncated or corrupt files raise ArrowInvalid/OSError
            reason = " ".join(str(exc).split())[:200]
            log.warning("skipping unreadable result file %s: %s", path, reason)
            problems.append(DatasetProblem(path, reason))
            continue
        tables.append(table)
    if schema is not None and columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    if not tables:
        empty_schema = schema if schema is not None else pa.schema([])
        return empty_schema.empty_table(), problems
    if schema is None:
        schema = pa.unify_schemas([t.schema for t in tables], promote_options="permissive")
    aligned = [_align(t, schema) for t in tables]
    return pa.concat_tables(aligned), problems


def read_ids(folder: str | Path) -> tuple[dict[str, str], list[DatasetProblem]]:
    """Map ``task_id -> status`` for every row already written under ``folder``."""
    table, problems = read_dataset(folder, columns=["task_id", "status"])
    if table.num_rows == 0:
        return {}, problems
    ids = table.column("task_id").to_pylist()
    statuses = table.column("status").to_pylist()
    return dict(zip(ids, statuses, strict=True)), problems


def _align(table: pa.Table, schema: pa.Schema) -> pa.Table:
    arrays = []
    for field in schema:
        if field.name in table.column_names:
            arrays.append(table.column(field.name).cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
