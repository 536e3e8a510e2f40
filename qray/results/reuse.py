"""Rows reused by task across the sweeps of one output folder.

A task's id covers everything that affects its result, so a row any sweep of the same
workload wrote under the same ``output_dir`` is valid for every sweep that plans that
task. Before a sweep runs, :func:`find_reusable` looks for the rows its plan still lacks
in the other sweep folders beside it, reading only their ``task_id`` and ``status``
columns (files that do not match the workload's schema are skipped, as the sweep's own
are); :func:`copy_rows` then copies those rows, unchanged (their ``sweep_id`` still names
the sweep that ran them), into the sweep's own folder, one file per source file
(``chunk-<time>R-<pid>-<n>.parquet``), written atomically. A sweep folder thus stays
self-contained — DuckDB, Ray Data and a copied folder see all its rows — and holds each
of its tasks once; a kill during the copy leaves whole files, and the rerun copies only
what is still missing.

A sweep is a view of its plan: ``plan.ids.gz`` in the sweep folder lists the task ids
of the plan it was last run with, and :func:`qray.results.read_dataset` (so the
summaries, ``load`` and ``compare``) shows only those tasks' rows. Folders without it
(older sweeps) show every row.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from qray.results.held import COLUMNS_FILE, read_held
from qray.results.layout import read_index, rows_lock
from qray.results.ledger import write_rows
from qray.results.reader import PLAN_FILE
from qray.results.writer import write_bytes_atomic, write_text_atomic

log = logging.getLogger(__name__)

MANIFEST = "sweep.json"


@dataclass
class Reusable:
    """Rows another sweep of the folder wrote for tasks this sweep still lacks."""

    #: source file -> the task ids to copy from it
    sources: dict[Path, list[str]] = field(default_factory=dict)
    #: task id -> the status of its row there
    status: dict[str, str] = field(default_factory=dict)
    #: sweep id -> how many of its rows are reused
    sweeps: dict[str, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.status)


def sibling_sweeps(sweep_dir: Path, workload: str) -> list[Path]:
    """The other sweep folders of ``sweep_dir``'s output folder that hold ``workload``'s
    rows (by their ``sweep.json``), in name order; links (``latest``) skipped."""
    out: list[Path] = []
    parent = sweep_dir.parent
    if not parent.is_dir():
        return out
    me = sweep_dir.resolve()
    for child in sorted(parent.iterdir()):
        if child.is_symlink() or not child.is_dir() or child.resolve() == me:
            continue
        try:
            manifest = json.loads((child / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("workload") == workload \
                and (child / workload).is_dir():
            out.append(child)
    return out


def find_reusable(sweep_dir: Path, workload: str, wanted: Iterable[str],
                  schema: pa.Schema | None, *, reuse: Callable[[str], bool]) -> Reusable:
    """Where the other sweeps of the folder hold rows for the ``wanted`` task ids whose
    status ``reuse(status)`` accepts (the newest sweep's row first: folders are scanned
    newest first by their manifest's time)."""
    found = Reusable()
    left = set(wanted)
    if not left:
        return found
    siblings = sorted(sibling_sweeps(sweep_dir, workload),
                      key=lambda p: (p / MANIFEST).stat().st_mtime_ns, reverse=True)
    for other in siblings:
        index = read_index(other / workload, schema)
        for task_id in sorted(left & index.status.keys()):
            status = index.status[task_id]
            if not reuse(status):
                continue
            found.sources.setdefault(index.where[task_id], []).append(task_id)
            found.status[task_id] = status
            found.sweeps[other.name] = found.sweeps.get(other.name, 0) + 1
            left.discard(task_id)
        if not left:
            break
    return found


def copy_rows(found: Reusable, folder: Path, tag: str) -> int:
    """Copy the rows ``found`` names into ``folder`` (one file per source file, written
    atomically, named ``chunk-<time>R-<pid>-<n>.parquet`` from the run's ``tag``);
    returns the rows copied. A source that can no longer be read is skipped with a
    warning (its tasks run next time)."""
    time_part, _, pid_part = tag.partition("-")
    copied = 0
    folder.mkdir(parents=True, exist_ok=True)
    for i, (src, ids) in enumerate(sorted(found.sources.items())):
        try:
            table = pq.read_table(src)
        except Exception as exc:  # removed or rewritten since it was indexed
            log.warning("could not reuse rows of %s (%s); their tasks run next time", src, exc)
            continue
        rows = table.filter(pc.is_in(table.column("task_id"), value_set=pa.array(ids)))
        held = read_held(src.parent)
        if held:  # an open schema's inferred column types travel with its rows
            with rows_lock(folder):
                mine = read_held(folder)
                if {**held, **mine} != mine:
                    write_text_atomic(json.dumps({**held, **mine}, indent=1),
                                      folder / COLUMNS_FILE)
        write_rows(rows, folder / f"chunk-{time_part}R-{pid_part}-{i:05d}.parquet")
        copied += rows.num_rows
    return copied


def write_plan(sweep_dir: Path, task_ids: Iterable[str]) -> Path:
    """``plan.ids.gz``: the task ids of the plan the sweep is run with, one a line,
    gzip-compressed (atomically; plain text keeps pandas off the driver's path)."""
    data = gzip.compress("\n".join(task_ids).encode(), compresslevel=5, mtime=0)
    return write_bytes_atomic(data, sweep_dir / PLAN_FILE)
