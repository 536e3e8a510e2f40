"""A sweep's result files and what they hold, by task.

A workload's rows live under ``<sweep_dir>/<workload>/``: one Parquet file per chunk (the
tasks one Tune trial ran, ``chunk-<run>-<n>.parquet``) or, for workloads that keep a trial
per grid point, one per point (``<point_id>.parquet``, also the layout of sweeps written
before chunks). :func:`read_index` maps every task to its status and its file, reading
only the ``task_id`` and ``status`` columns; the other helpers keep each task in exactly
one row when a task is run again (``--rerun-failed``, a refused point that runs now) and
set aside files that cannot be read once their tasks have rows again.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from qray.results.ledger import ALTERED_SUFFIX, write_rows
from qray.results.names import is_qray_file
from qray.results.reader import DatasetProblem, checked_files, read_file

log = logging.getLogger(__name__)

#: what an unreadable result file is renamed to once its tasks have rows again
UNREADABLE_SUFFIX = ".unreadable"
ROWS_LOCK = ".rows.lock"


def run_tag(now: datetime | None = None, pid: int | None = None) -> str:
    """A tag for one driver run's chunk files: its start time and pid (names sort by
    time)."""
    now = now or datetime.now(UTC)
    return f"{now.strftime('%Y%m%dT%H%M%S')}-{pid if pid is not None else os.getpid():x}"


def chunk_path(folder: str | Path, tag: str, index: int) -> Path:
    """The file of chunk ``index`` of the run tagged ``tag``."""
    return Path(folder) / f"chunk-{tag}-{index:05d}.parquet"


@dataclass
class ResultIndex:
    """Every task that has a row under a workload folder: its status and its file.

    ``duplicates`` lists the tasks found in more than one file (a run killed between
    writing a task's new row and dropping its old one); ``status`` and ``where`` hold the
    newest file's row for them.
    """

    status: dict[str, str] = field(default_factory=dict)
    where: dict[str, Path] = field(default_factory=dict)
    duplicates: dict[str, list[Path]] = field(default_factory=dict)
    problems: list[DatasetProblem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def unreadable(self) -> list[Path]:
        """The files that could not be read at all (as opposed to foreign ones)."""
        return [p.path for p in self.problems if p.kind == "unreadable"]

    @property
    def altered(self) -> list[Path]:
        """The files qray wrote whose bytes changed since."""
        return [p.path for p in self.problems if p.kind == "altered"]


def read_index(folder: str | Path, schema: pa.Schema | None = None) -> ResultIndex:
    """The tasks with rows under ``folder``, reading the ``task_id`` and ``status``
    columns of each file (oldest file first, so the newest row of a task wins); with the
    workload's ``schema``, files that do not match it are skipped and reported."""
    index = ResultIndex()
    for path in checked_files(folder, index.problems):
        table, problem = read_file(path, schema=schema, columns=["task_id", "status"])
        if problem is not None:
            index.problems.append(problem)
            continue
        index.files.append(path)
        ids = table.column("task_id").to_pylist()
        statuses = table.column("status").to_pylist()
        for task_id, status in zip(ids, statuses, strict=True):
            before = index.where.get(task_id)
            if before is not None and before != path:
                index.duplicates.setdefault(task_id, [before]).append(path)
            index.status[task_id] = status
            index.where[task_id] = path
    return index


def read_ids(folder: str | Path, schema: pa.Schema | None = None,
             ) -> tuple[dict[str, str], list[DatasetProblem]]:
    """Map ``task_id -> status`` for every row already written under ``folder`` (reading
    only those two columns); with the workload's ``schema``, files that do not match it
    are skipped and reported."""
    index = read_index(folder, schema)
    return index.status, index.problems


@contextlib.contextmanager
def rows_lock(folder: str | Path) -> Iterator[None]:
    """Serialize rewrites of a workload folder's files (concurrent trials of a sweep all
    run on the driver's node)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ROWS_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def drop_rows(path: str | Path, task_ids: Iterable[str]) -> int:
    """Rewrite qray result file ``path`` without the rows of ``task_ids`` (their new rows
    are in another file); a file left with no rows is removed. Returns the rows dropped.
    Callers hold :func:`rows_lock` of the folder."""
    path = Path(path)
    drop = set(task_ids)
    if not drop or not path.exists() or not is_qray_file(path):
        return 0
    table = pq.read_table(path)
    keep = pc.invert(pc.is_in(table.column("task_id"), value_set=pa.array(sorted(drop))))
    kept = table.filter(keep)
    dropped = table.num_rows - kept.num_rows
    if not dropped:
        return 0
    if kept.num_rows:
        write_rows(kept, path)
    else:
        path.unlink()
    return dropped


def drop_superseded(folder: str | Path, supersede: Mapping[str, Iterable[str]]) -> int:
    """Drop, under the folder's lock, the old rows ``supersede`` names (file -> task ids)."""
    if not supersede:
        return 0
    with rows_lock(folder):
        return sum(drop_rows(path, ids) for path, ids in supersede.items())


def repair_duplicates(folder: str | Path, index: ResultIndex) -> int:
    """Keep each duplicated task's newest row only (after a run killed between writing a
    task's new row and dropping its old one); returns the rows dropped."""
    older: dict[Path, list[str]] = {}
    for task_id, paths in index.duplicates.items():
        newest = index.where[task_id]
        for p in paths:
            if p != newest:
                older.setdefault(p, []).append(task_id)
    if not older:
        return 0
    n = drop_superseded(folder, {str(p): ids for p, ids in older.items()})
    log.warning("dropped %d older duplicate row(s) of re-run tasks in %s", n, folder)
    index.duplicates.clear()
    return n


def set_aside_unreadable(index: ResultIndex) -> list[Path]:
    """Rename the unreadable qray result files to ``<name>.unreadable`` and the altered
    ones to ``<name>.altered`` (kept, no longer read): called once every task of the
    sweep has a row again. Files qray did not write are never touched."""
    moved = []
    for paths, suffix, what in ((index.unreadable, UNREADABLE_SUFFIX, "unreadable"),
                                (index.altered, ALTERED_SUFFIX, "altered")):
        for path in paths:
            if is_qray_file(path) and path.exists():
                target = path.with_name(path.name + suffix)
                os.replace(path, target)
                log.warning("set aside %s result file %s as %s (its tasks have rows "
                            "again)", what, path, target.name)
                moved.append(target)
    return moved

