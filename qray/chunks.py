"""What a sweep has left to run, and how it is cut into units of work (Tune trials).

A unit is either a *chunk*, the pending tasks of one actor key taken in plan order across
grid points (``execution.chunk_tasks`` of them at most), or, for a workload whose spec
runs a trial per grid point, one point's pending tasks. The driver and
``qray sweep --dry-run`` cut the same way, so the preview's trial count is the run's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qray.config import SweepConfig
from qray.results.reuse import Reusable, find_reusable
from qray.tasks import Plan, Point

#: row statuses that ``--rerun-failed`` runs again
FAILED_STATUSES = frozenset({"error", "timeout"})


def pending(status: str | None, *, runnable: bool, rerun_failed: bool) -> bool:
    """Whether a task whose row has ``status`` (None: no row) runs: it has no row, it
    failed and ``rerun_failed`` is set, or it was refused and its point can run now."""
    return (status is None or (rerun_failed and status in FAILED_STATUSES)
            or (status == "refused" and runnable))


@dataclass(frozen=True)
class Pending:
    """The plan's tasks that have no row yet (or run again), point by point."""

    skipped: int
    #: (point, ids of its tasks to run), in plan order, points with nothing to run left out
    todo: Sequence[tuple[Point, list[str]]]

    @property
    def n_run(self) -> int:
        return sum(len(ids) for _, ids in self.todo)


def pending_with_reuse(plan: Plan, status: Mapping[str, str], sweep_dir: Path, workload: str,
                       schema: Any, *, rerun_failed: bool) -> tuple[Pending, Reusable]:
    """The tasks of ``plan`` left to run, given the statuses of the sweep's own rows and
    the rows other sweeps of its output folder hold for the tasks it has none of (which
    count as done, as the sweep's own would: :mod:`qray.results.reuse`)."""
    work = pending_tasks(plan, status, rerun_failed=rerun_failed)
    missing = {t for _, ids in work.todo for t in ids if t not in status}
    reusable = find_reusable(sweep_dir, workload, missing, schema,
                             reuse=lambda st: not pending(st, runnable=True,
                                                          rerun_failed=rerun_failed))
    if reusable.n:
        work = pending_tasks(plan, {**status, **reusable.status}, rerun_failed=rerun_failed)
    return work, reusable


def pending_tasks(plan: Plan, status: Mapping[str, str], *, rerun_failed: bool) -> Pending:
    """The tasks of ``plan`` left to run given the statuses of the rows written
    (``task_id -> status``)."""
    todo: list[tuple[Point, list[str]]] = []
    skipped = 0
    for point in plan.points:
        # a point refused before (memory budget) runs once the config lets it
        runnable = point.point_id not in plan.problems
        ids = [t.strong_id for t in point.tasks
               if pending(status.get(t.strong_id), runnable=runnable,
                          rerun_failed=rerun_failed)]
        skipped += len(point.tasks) - len(ids)
        if ids:
            todo.append((point, ids))
    return Pending(skipped, todo)


@dataclass
class Unit:
    """One Tune trial's work: pending tasks of actor ``key``, as (point, task ids) parts."""

    key: str
    parts: list[tuple[Point, list[str]]] = field(default_factory=list)

    @property
    def n_tasks(self) -> int:
        return sum(len(ids) for _, ids in self.parts)


def cut_units(work: Pending, key_of: Callable[[Point], str], *, size: int,
              per_point: bool) -> list[Unit]:
    """Cut the pending tasks into units: one per point (``per_point``), or chunks of at
    most ``size`` tasks of one key each, a key's tasks in plan order."""
    if per_point:
        return [Unit(key_of(p), [(p, ids)]) for p, ids in work.todo]
    by_key: dict[str, list[Unit]] = {}
    for point, ids in work.todo:
        units = by_key.setdefault(key_of(point), [])
        start = 0
        while start < len(ids):
            if not units or units[-1].n_tasks >= size:
                units.append(Unit(key_of(point)))
            room = size - units[-1].n_tasks
            units[-1].parts.append((point, ids[start:start + room]))
            start += room
    return [u for units in by_key.values() for u in units]


def chunk_size(cfg: SweepConfig, n_pending: int) -> int:
    """Tasks per chunk of a sweep with ``n_pending`` tasks to run (the config's
    ``execution.chunk_tasks``, or the automatic size for ``max_parallel`` trials)."""
    return cfg.execution.chunk_size(n_pending, cfg.max_parallel)
