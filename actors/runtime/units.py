"""Units of work: the sweep's pending tasks cut into chunks (or grid points), each a
`ChunkJob` that one trial runs with the sweep's `TrialContext`."""

from __future__ import annotations

import functools
import logging
from typing import Any

from actors.runtime.executor import point_path
from actors.runtime.jobs import ChunkJob
from actors.runtime.report import SweepReport
from qray.chunks import chunk_size, cut_units, pending_with_reuse
from qray.config import SweepConfig
from qray.results.layout import (
    ResultIndex,
    chunk_path,
    read_index,
    run_tag,
)
from qray.results.reuse import Reusable

log = logging.getLogger(__name__)


def plan_units(cfg: SweepConfig, binding: Any, plan: Any, *, rerun_failed: bool
             ) -> tuple[SweepReport, ResultIndex, list[ChunkJob], Reusable]:
    """The sweep's report so far, the index of its rows, its units of work (each with
    the specs of its tasks that have no row yet) and the rows other sweeps of the output
    folder hold for tasks it lacks (reused, not run), reading only the rows' ids and
    statuses; writes nothing."""
    sweep_id = cfg.resolved_sweep_id
    folder = cfg.sweep_dir / cfg.workload
    index = read_index(folder, binding.schema)
    work, reusable = pending_with_reuse(plan, index.status, cfg.sweep_dir, cfg.workload,
                                        binding.schema, rerun_failed=rerun_failed)
    per_point = bool(binding.spec.run_point)
    size = 0 if per_point else chunk_size(cfg, work.n_run)
    units = cut_units(work, lambda p: binding.actor_key(p, plan), size=size,
                      per_point=per_point)
    tag = run_tag()
    out: list[ChunkJob] = []
    for i, unit in enumerate(units):
        # the task specs are built when the trials start, a unit at a time (bounded memory)
        specs = functools.partial(unit_specs, binding, unit, cfg, sweep_id)
        if per_point:  # the point's file is rewritten whole: it drops the old rows itself
            point = unit.parts[0][0]
            label = f"{unit.key}-{point.point_id[:8]}"
            path = point_path(cfg.sweep_dir, cfg.workload, point.point_id)
            out.append(ChunkJob(label, unit.key, str(path), specs, point_id=point.point_id))
        else:
            supersede: dict[str, list[str]] = {}  # the old rows of tasks run again
            for _, ids in unit.parts:
                for task_id in ids:
                    if task_id in index.where:
                        supersede.setdefault(str(index.where[task_id]), []).append(task_id)
            out.append(ChunkJob(f"{unit.key}-{i:05d}", unit.key, str(chunk_path(folder, tag, i)),
                                specs, supersede=supersede))
    out = interleave(out, cfg.max_parallel)
    log.info("sweep %s: %d tasks, %d already done%s, %d to run in %d trials%s", sweep_id,
             plan.n_tasks, work.skipped,
             f" ({reusable.n} with rows of other sweeps)" if reusable.n else "", work.n_run,
             len(out), f" of up to {size} tasks" if size and out else "")
    report = SweepReport(sweep_id, cfg.sweep_dir, plan.n_tasks, work.skipped, work.n_run,
                         len(out), unreadable_files=[str(p.path) for p in index.problems],
                         chunk_tasks=size, reused_tasks=reusable.n,
                         reused_from=dict(reusable.sweeps))
    return report, index, out, reusable


def unit_specs(binding: Any, unit: Any, cfg: SweepConfig, sweep_id: str
                ) -> list[dict[str, Any]]:
    """The wire specs of a unit's tasks."""
    return [s for point, ids in unit.parts
            for s in binding.task_specs(point, cfg, sweep_id, only=set(ids))]


def status_counts(cfg: SweepConfig, binding: Any, plan: Any, index: ResultIndex, *,
                   ran: bool) -> dict[str, int]:
    """The plan's rows by status (the index is read again when this run wrote rows)."""
    if ran:
        index = read_index(cfg.sweep_dir / cfg.workload, binding.schema)
    counts: dict[str, int] = {}
    for point in plan.points:
        for task in point.tasks:
            status = index.status.get(task.strong_id, "missing")
            counts[status] = counts.get(status, 0) + 1
    return dict(sorted(counts.items()))


def interleave(points: list[ChunkJob], width: int) -> list[ChunkJob]:
    """Order points so that ``width`` concurrent trials use different actors, and each
    actor's points stay together (few actor start-ups when the pool must evict).

    Keys are taken ``width`` at a time; within such a group the points alternate between
    the keys; groups follow one another.
    """
    by_key: dict[str, list[ChunkJob]] = {}
    for p in points:
        by_key.setdefault(p.key, []).append(p)
    queues = list(by_key.values())
    out: list[ChunkJob] = []
    for g in range(0, len(queues), max(1, width)):
        group = queues[g:g + width]
        for i in range(max(len(q) for q in group)):
            out += [q[i] for q in group if i < len(q)]
    return out
