"""The coarse Tune trial: runs a chunk of pending tasks (one actor's, from one or more
grid points) on the pool's actor, in batches, and writes their rows as one Parquet file,
atomically."""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import ray
from ray.exceptions import ActorDiedError, ActorUnavailableError, GetTimeoutError, RayActorError

from actors.runtime.binding import WorkloadBinding, get_binding
from actors.runtime.jobs import ChunkJob, TrialContext
from actors.runtime.metrics import metric_fields
from actors.runtime.pool import NAMESPACE
from qray.chunks import FAILED_STATUSES
from qray.errors import QrayError
from qray.results.held import table_of
from qray.results.layout import drop_superseded
from qray.results.ledger import Checker, write_rows
from qray.workloads import resolve

log = logging.getLogger(__name__)

MAX_TASK_CRASHES = 2
#: a batch that returns within a quarter of this doubles the next one's size (up to
#: ``MAX_BATCH``): millisecond tasks are not paced by one actor call per 16 of them
BATCH_TARGET_S = 1.0
MAX_BATCH = 1024
ACTOR_RESTART_TIMEOUT_S = 120
#: a trial reports its rows so far at most this often (the sweep's progress line)
PROGRESS_EVERY_S = 2.0


def binding_of(ctx: TrialContext) -> WorkloadBinding:
    """The workload's binding: from the spec the driver sent (a spec registered from
    Python exists only in the driver's process), else from the registry."""
    return WorkloadBinding(ctx.spec) if ctx.spec is not None else get_binding(ctx.workload)


def point_path(sweep_dir: str | Path, workload: str, point_id: str) -> Path:
    """Where a grid point's rows live."""
    return Path(sweep_dir) / workload / f"{point_id}.parquet"


def run_chunk(chunk: ChunkJob, ctx: TrialContext) -> dict[str, Any]:
    """Run a chunk's task specs through its actor and write their rows to the chunk's
    file.

    Between batches the actor is recycled when it asks (task count, RSS, a timed-out run
    it could not interrupt); tasks a batch did not reach are sent again afterwards. A
    batch whose call kills the actor is retried on the replaced actor, then one task at
    a time, and a task that kills the actor twice on its own gets an ``error`` row. The
    file is rewritten with the rows so far every ``flush_s`` seconds, and a retry of the
    trial starts from the rows its file already holds, so each task is run and written
    once. Old rows of tasks run again (``supersede``) are dropped once the new ones are
    written.
    """
    binding = binding_of(ctx)
    path = Path(chunk.path)
    rows = existing_rows(path, exclude=set())  # an earlier attempt of this trial
    done = {r["task_id"] for r in rows}
    fresh: list[dict] = []
    queue = [s for s in chunk.specs if s["task_id"] not in done]
    progress = ctx.progress or (lambda rows: None)
    if queue:
        last_flush = time.monotonic()

        def flush(so_far: list[dict]) -> None:
            nonlocal last_flush
            progress(rows + so_far)
            if time.monotonic() - last_flush >= ctx.flush_s:
                _write(lambda: table_of(rows + so_far, binding.schema, path.parent), path)
                last_flush = time.monotonic()

        fresh = run_specs(chunk.key, queue, ctx, binding, on_batch=flush)
    _write(lambda: table_of(rows + fresh, binding.schema, path.parent), path)
    drop_superseded(path.parent, dict(chunk.supersede))
    return counts(fresh, ctx)


def _write(table: Callable[[], Any], path: Path) -> None:
    """Write a unit's rows; a folder that cannot be written (read-only, replaced by a
    file, permissions) stops the sweep with a QrayError instead of failing every
    retry of every trial after its tasks ran (a full disk has its own message)."""
    try:
        write_rows(table(), path)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise
        raise QrayError(f"cannot write rows to {path.parent} ({exc.strerror or exc}): make "
                        "the folder writable (or move what replaced it) and rerun the same "
                        "command to resume; the rows written so far are kept") from exc


def run_specs(key: str, queue: list[dict[str, Any]], ctx: TrialContext, binding: Any,
              on_batch: Callable[[list[dict]], None] = lambda rows: None) -> list[dict]:
    """The rows of ``queue``'s tasks, run in batches on the pool's actor for ``key``
    (its worker warms up each grid point's first task ``ctx.warmup`` times; ``on_batch``
    gets the rows so far after each batch); see :func:`run_chunk` for what happens when
    the actor dies or asks to be recycled."""
    pool = ray.get_actor(ctx.pool_name, namespace=NAMESPACE)
    rows: list[dict] = []
    handle = acquire(pool, key)
    batch_size = ctx.batch_size
    # batches of millisecond tasks grow (fewer calls) under actor.batch_size: auto; a crash
    # stops that
    adapt = ctx.adapt_batches
    crashes: dict[str, int] = {}
    try:
        while queue:
            batch = queue[:batch_size]
            sent = time.monotonic()
            try:  # the worker warms up each grid point it has not run yet
                out = ray.get(handle.run_batch.remote(batch, ctx.warmup))
            except (ActorDiedError, ActorUnavailableError, RayActorError) as exc:
                handle = recover(pool, key, handle)
                if len(batch) > 1:
                    batch_size, adapt = 1, False  # isolate the task that kills the actor
                    log.warning("actor for %s died (%s); retrying one task at a time", key,
                                type(exc).__name__)
                    continue
                task_id = batch[0]["task_id"]
                crashes[task_id] = crashes.get(task_id, 0) + 1
                if crashes[task_id] >= MAX_TASK_CRASHES:
                    rows.append(binding.crash_row(
                        batch[0], f"the actor process died running this task "
                        f"{crashes[task_id]} times ({type(exc).__name__}: {exc})", key))
                    queue = queue[1:]
                continue
            n_done = len(out["rows"])
            if adapt and n_done == len(batch) and time.monotonic() - sent < BATCH_TARGET_S / 4:
                batch_size = min(MAX_BATCH, batch_size * 2)
            rows.extend(out["rows"])
            queue = queue[n_done:]
            on_batch(rows)
            if out["recycle"]:
                pool.release.remote(key, out["recycle"])
                handle = acquire(pool, key)
            elif not n_done:
                raise RuntimeError(f"actor for {key} ran none of {len(batch)} tasks")
    finally:
        pool.release.remote(key, None)
    return rows


def counts(rows: list[dict], ctx: TrialContext) -> dict[str, Any]:
    """What a trial reports of the rows it ran, and the fields its metrics need."""
    n_ok = sum(1 for r in rows if r["status"] == "ok")
    n_failed = sum(1 for r in rows if r["status"] in FAILED_STATUSES)
    return {"rows": len(rows), "ok": n_ok, "failed": n_failed,
            "rows_written": [metric_fields(r, ctx.metric_tag) for r in rows]}


def write_point_rows(point: ChunkJob, rows: list[dict], ctx: TrialContext,
                     schema: Any) -> dict[str, Any]:
    """Write a point's file (the layout of workloads that keep a trial per point)
    atomically: the rows just run plus the rows already there for tasks that were not
    rerun (each task once). Returns what the trial reports."""
    path = point_path(ctx.sweep_dir, ctx.workload, str(point.point_id))
    kept = existing_rows(path, exclude={s["task_id"] for s in point.specs})
    _write(lambda: table_of(kept + rows, schema, path.parent), path)
    return counts(rows, ctx)


def unit_trial(config: dict[str, Any], ctx: TrialContext,
               units: dict[str, ChunkJob]) -> None:
    """Tune function trainable: one unit of work (named by ``config["unit"]``) per
    trial (:func:`run_unit`), its reports through ``tune.report``."""
    from ray import tune

    run_unit(config["unit"], ctx, units, tune.report)


def run_unit(label: str, ctx: TrialContext, units: dict[str, ChunkJob],
             report: Callable[[dict[str, Any]], None]) -> None:
    """Run one unit of work: a chunk of tasks by the generic executor, or a grid point by
    the runner the workload's spec names. ``report`` gets the rows so far (at most every
    ``PROGRESS_EVERY_S``, ``partial: True``) and the final counts; a failure every retry
    would repeat (a QrayError, an import error) is reported as ``fatal`` instead of
    raised."""
    t0 = time.perf_counter()
    unit = units[label]
    if isinstance(unit.specs, ray.ObjectRef):
        unit = replace(unit, specs=ray.get(unit.specs))
    n_tasks = len(unit.specs)

    last = [time.monotonic()]

    def progress(rows: list[dict]) -> None:  # the sweep's progress line reads these
        if time.monotonic() - last[0] < PROGRESS_EVERY_S:
            return  # every report is a Tune iteration (result files, callbacks)
        last[0] = time.monotonic()
        n_ok = sum(1 for r in rows if r.get("status") == "ok")
        n_failed = sum(1 for r in rows if r.get("status") in FAILED_STATUSES)
        report({"rows": len(rows), "ok": n_ok, "failed": n_failed,
                "tasks": n_tasks, "partial": True})

    try:
        spec = binding_of(ctx).spec
        runner = resolve(spec.run_point) if spec.run_point else run_chunk
        got = runner(unit, replace(ctx, progress=progress))
    except (QrayError, ImportError) as exc:  # a retry would fail the same way: the driver
        # stops the sweep with this message instead of retrying
        cause = getattr(exc, "cause", None) or exc
        text = str(cause) if isinstance(cause, QrayError) else f"{type(cause).__name__}: {cause}"
        log.error("unit %s stopped: %s", label, text)
        report({"rows": 0, "ok": 0, "failed": 0, "tasks": n_tasks, "partial": False,
                "fatal": text, "trial_s": time.perf_counter() - t0})
        return
    # the driver's progress callback counts rows_written in qray's metrics: one long-lived
    # process per sweep, not a series per (short-lived) trial worker
    report({**got, "tasks": n_tasks, "partial": False, "trial_s": time.perf_counter() - t0})


def recover(pool: Any, key: str, handle: Any) -> Any:
    """After a failed call: the same actor if Ray restarted it, else a replacement."""
    try:
        ray.get(handle.__ray_ready__.remote(), timeout=ACTOR_RESTART_TIMEOUT_S)
        return handle
    except (RayActorError, GetTimeoutError):
        return ray.get(pool.replace.remote(key, handle))


def acquire(pool: Any, key: str) -> Any:
    """The pool's actor for ``key``, waiting (with backoff) until the pool has room."""
    return wait_for(lambda: ray.get(pool.acquire.remote(key)))


def wait_for(ask: Callable[[], Any]) -> Any:
    """Call ``ask`` until it returns something other than None, backing off to 1 s."""
    delay = 0.05
    while True:
        got = ask()
        if got is not None:
            return got
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def existing_rows(path: Path, *, exclude: set[str]) -> list[dict]:
    """Rows already in a point's file, minus the tasks in ``exclude`` (being rerun)."""
    if not path.exists():
        return []
    verdict = Checker().check(path)
    if verdict.kind == "foreign":  # never overwritten: kept beside, under another name
        aside = path.with_name(path.name + ".foreign")
        os.replace(path, aside)
        log.warning("moved %s, which this sweep did not write, aside as %s", path, aside.name)
        return []
    if verdict.kind == "altered":
        log.warning("replacing result file %s: %s", path, verdict.reason)
        return []
    try:
        table = pq.read_table(path)
    except Exception:  # a corrupt file: its tasks are all being rerun
        log.warning("replacing unreadable result file %s", path)
        return []
    return [r for r in table.to_pylist() if r["task_id"] not in exclude]
