"""Reading a sweep's dataset: every Parquet file under a folder, one unified schema.

Files that cannot be read (truncated, corrupt) are reported and skipped rather than
failing the whole read, so a summary still works and a rerun redoes their tasks. With the
workload's schema given, files that do not match it (another workload's rows, a foreign
Parquet file, a column of another type) are reported and skipped the same way.
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from qray.results.schema import is_open
from qray.results.writer import TMP_PREFIX

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatasetProblem:
    """A file of the dataset that was skipped: ``unreadable`` (truncated, corrupt), a
    ``mismatch`` (not rows of this workload), ``foreign`` (not written by the sweep) or
    ``altered`` (changed since the sweep wrote it)."""

    path: Path
    reason: str
    kind: str = "unreadable"


def parquet_files(folder: str | Path) -> list[Path]:
    """The dataset's Parquet files (temp files of in-flight writes excluded), sorted."""
    folder = Path(folder)
    if not folder.exists():
        return []
    return sorted(
        p for p in folder.rglob("*.parquet")
        if not p.name.startswith(TMP_PREFIX) and "_tune" not in p.parts
    )


def checked_files(folder: str | Path, problems: list[DatasetProblem]) -> list[Path]:
    """The dataset's files that its ledger vouches for (see :mod:`qray.results.ledger`),
    oldest first; the others are appended to ``problems``."""
    from qray.results.ledger import Checker

    checker = Checker()
    out = []
    for path in sorted(parquet_files(folder), key=file_age):
        verdict = checker.check(path)
        if verdict.ok:
            out.append(path)
        else:
            log.warning("skipping result file %s: %s", path, verdict.reason)
            problems.append(DatasetProblem(path, verdict.reason, verdict.kind))
    return out


def read_dataset(
    folder: str | Path,
    *,
    schema: pa.Schema | None = None,
    columns: list[str] | None = None,
    plan: set[str] | None = None,
) -> tuple[pa.Table, list[DatasetProblem]]:
    """Read all rows under ``folder``.

    Args:
        folder: the sweep folder (or a workload subfolder).
        schema: cast every file to this schema (columns missing in old files become
            nulls); ``None`` unifies the files' own schemas.
        columns: read only these columns.
        plan: keep only these task ids' rows; default: the ids in the sweep's
            ``plan.parquet`` (a sweep is a view of its plan), or every row when the sweep
            records none.

    Returns:
        The concatenated table and the list of files that were skipped, with reasons.
    """
    tables: list[pa.Table] = []
    problems: list[DatasetProblem] = []
    base = schema
    target = schema
    if schema is not None and columns is not None:
        target = pa.schema([schema.field(c) for c in columns])
    elif is_open(schema):  # the rows' own columns too: the schema's first, then the rest
        target = None
    paths: list[Path] = []
    for path in checked_files(folder, problems):
        table, problem = read_file(path, schema=schema, columns=columns)
        if problem is None and schema is None:
            problem = _not_rows(path, table)
        if problem is not None:
            problems.append(problem)
            continue
        tables.append(table if target is None else _align(table, target))
        paths.append(path)
    schema = target
    if not tables:
        empty_schema = schema if schema is not None else pa.schema([])
        return empty_schema.empty_table(), problems
    if plan is None:
        plan = plan_ids(Path(folder))
    if plan is not None:  # a sweep is a view of its plan
        tables = [t.filter(pc.is_in(t.column("task_id"), value_set=pa.array(sorted(plan),
                                                                          type=pa.string())))
                  if "task_id" in t.column_names else t for t in tables]
    if schema is None:
        first = [base] if is_open(base) else []
        kept: list[pa.Table] = []
        for path, table in zip(paths, tables, strict=True):
            try:  # a file whose columns clash with the files before it is skipped
                schema = pa.unify_schemas([*first, *(t.schema for t in kept), table.schema],
                                          promote_options="permissive")
            except (pa.ArrowTypeError, pa.ArrowInvalid) as exc:
                why = f"its columns clash with the files read before it ({exc})"
                log.warning("skipping result file %s: %s", path, why)
                problems.append(DatasetProblem(path, why, "mismatch"))
                continue
            kept.append(table)
        tables = kept
        if not tables:
            return pa.schema([]).empty_table(), problems
    aligned = [_align(t, schema) for t in tables]
    return newest_rows(pa.concat_tables(aligned)), problems


#: the file that lists a sweep's planned task ids (gzip text, one a line; not Parquet, so
#: that no reader of ``*.parquet`` takes it for rows)
PLAN_FILE = "plan.ids.gz"


def _not_rows(path: Path, table: pa.Table) -> DatasetProblem | None:
    """Why a file read without a workload schema holds no qray rows: its ``task_id`` or
    ``status`` column is not text (None when it is, or has neither)."""
    for name in ("task_id", "status"):
        if name in table.column_names and not pa.types.is_string(table.column(name).type) \
                and not pa.types.is_large_string(table.column(name).type):
            why = (f"not a qray result file (its {name!r} column is "
                   f"{table.column(name).type}; qray writes text)")
            log.warning("skipping result file %s: %s", path, why)
            return DatasetProblem(path, why, "mismatch")
    return None


def plan_ids(folder: Path) -> set[str] | None:
    """The planned task ids of the sweep that ``folder`` (a sweep folder or its workload
    subfolder) belongs to; None when it records none (an older sweep, a bare folder)."""
    for candidate in (folder / PLAN_FILE, folder.parent / PLAN_FILE):
        if candidate.is_file() and (candidate.parent / "sweep.json").is_file():
            try:
                text = gzip.decompress(candidate.read_bytes()).decode()
                return set(text.split("\n")) if text else set()
            except Exception as exc:  # a damaged plan file hides nothing
                log.warning("ignoring unreadable %s (%s): showing every row", candidate, exc)
                return None
    return None


def newest_rows(table: pa.Table) -> pa.Table:
    """``table`` with one row per ``task_id``, the last one (files are read oldest first,
    so a task run again after a killed run counts once, with its newest row)."""
    if "task_id" not in table.column_names or table.num_rows == 0:
        return table
    ids = table.column("task_id")
    if pc.count_distinct(ids).as_py() == table.num_rows:
        return table
    last: dict[str, int] = {}
    for i, task_id in enumerate(ids.to_pylist()):
        last[task_id] = i
    return table.take(pa.array(sorted(last.values()), type=pa.int64()))


def file_age(path: Path) -> tuple[int, str]:
    """Sort key of result files, oldest first (modification time, then name)."""
    try:
        return (path.stat().st_mtime_ns, path.name)
    except OSError:
        return (0, path.name)


def read_file(path: Path, *, schema: pa.Schema | None = None,
              columns: list[str] | None = None) -> tuple[pa.Table | None, DatasetProblem | None]:
    """One result file's ``columns``, or why it was skipped: it cannot be read, or (with
    the workload's ``schema``) it does not hold rows of that workload."""
    try:
        mismatch = schema_mismatch(pq.read_schema(path), schema) if schema is not None else None
        if mismatch is None:
            return pq.read_table(path, columns=columns), None
        kind = "mismatch"
    except Exception as exc:  # truncated or corrupt files raise ArrowInvalid/OSError
        mismatch, kind = " ".join(str(exc).split())[:200], "unreadable"
    log.warning("skipping result file %s: %s", path, mismatch)
    return None, DatasetProblem(path, mismatch, kind)


def schema_mismatch(found: pa.Schema, expected: pa.Schema) -> str | None:
    """Why a file with schema ``found`` does not hold rows of ``expected`` (None if it
    does). Files of older versions may lack columns; they may not add foreign ones, come
    from another workload, or give a column a type that does not cast."""
    want = (expected.metadata or {}).get(b"qray.workload")
    have = (found.metadata or {}).get(b"qray.workload")
    if want is not None and have is not None and have != want:
        return f"rows of workload {have.decode()!r}, not {want.decode()!r}"
    missing = [n for n in ("task_id", "status") if n not in found.names]
    if missing:
        return f"not a qray result file (no {', '.join(missing)} column)"
    extra = [n for n in found.names if n not in expected.names]
    if extra and not is_open(expected):
        return f"columns not in the {(want or b'workload').decode()} schema: {extra[:5]}"
    for fld in found:
        if fld.name not in expected.names:
            continue  # an open schema's own column
        exp = expected.field(fld.name)
        if fld.type != exp.type and not _widens(fld.type, exp.type):
            return f"column {fld.name!r} is {fld.type}, expected {exp.type}"
    return None


def _widens(src: pa.DataType, dst: pa.DataType) -> bool:
    """Type changes a reader accepts: an all-null column, integers read as floats, and
    the large/small variants of strings."""
    if pa.types.is_null(src):
        return True
    if pa.types.is_integer(src) and (pa.types.is_floating(dst) or pa.types.is_integer(dst)):
        return True
    strings = (pa.types.is_string, pa.types.is_large_string)
    return any(f(src) for f in strings) and any(f(dst) for f in strings)


def _align(table: pa.Table, schema: pa.Schema) -> pa.Table:
    arrays = []
    for field in schema:
        if field.name in table.column_names:
            arrays.append(table.column(field.name).cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
