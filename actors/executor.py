"""The coarse Tune trial: runs all pending tasks of one grid point on the pool's actor,
in batches, and writes the point's rows as one Parquet file, atomically."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import ray
from ray import tune
from ray.exceptions import ActorDiedError, ActorUnavailableError, RayActorError

from actors.pool import NAMESPACE
from qray.results import rows_to_table, write_table_atomic

log = logging.getLogger(__name__)

MAX_ACTOR_FAILURES = 5


def point_path(sweep_dir: str | Path, workload: str, point_id: str) -> Path:
    """Where a grid point's rows live."""
    return Path(sweep_dir) / workload / f"{point_id}.parquet"


def run_point(point: dict[str, Any], ctx: dict[str, Any]) -> dict[str, int]:
    """Run one point's task specs through its actor and write its rows.

    Rows already present for tasks that are not being rerun are kept, so the file of a
    point always holds each of its tasks once.
    """
    from actors.workloads import get_binding

    binding = get_binding(ctx["workload"])
    pool = ray.get_actor(ctx["pool_name"], namespace=NAMESPACE)
    key = point["key"]
    specs = point["specs"]
    handle = _acquire(pool, key)
    rows: list[dict] = []
    recycle: str | None = None
    failures = 0
    try:
        i = 0
        first = True
        while i < len(specs):
            batch = specs[i:i + ctx["batch_size"]]
            try:
                out = ray.get(handle.run_batch.remote(batch, ctx["warmup"] if first else 0))
            except (ActorDiedError, ActorUnavailableError, RayActorError) as exc:
                failures += 1
                if failures > MAX_ACTOR_FAILURES:
                    raise
                log.warning("actor for %s failed (%s); retrying the batch", key, type(exc).__name__)
                handle = ray.get(pool.replace.remote(key, handle))
                continue
            rows.extend(out["rows"])
            recycle = out["recycle"] or recycle
            i += len(batch)
            first = False
    finally:
        pool.release.remote(key, recycle)
    path = point_path(ctx["sweep_dir"], ctx["workload"], point["point_id"])
    rerun = {s["task_id"] for s in specs}
    kept = _existing_rows(path, exclude=rerun)
    table = rows_to_table(kept + rows, binding.schema)
    write_table_atomic(table, path)
    n_ok = sum(1 for r in rows if r["status"] == "ok")
    return {"rows": len(rows), "ok": n_ok, "failed": len(rows) - n_ok}


def point_trial(config: dict[str, Any], ctx: dict[str, Any],
                points: dict[str, dict[str, Any]]) -> None:
    """Tune function trainable: one grid point (named by ``config["point"]``) per trial."""
    t0 = time.perf_counter()
    counts = run_point(points[config["point"]], ctx)
    tune.report({**counts, "point_s": time.perf_counter() - t0})


def _acquire(pool: Any, key: str) -> Any:
    delay = 0.05
    while True:
        handle = ray.get(pool.acquire.remote(key))
        if handle is not None:
            return handle
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def _existing_rows(path: Path, *, exclude: set[str]) -> list[dict]:
    if not path.exists():
        return []
    try:
        table = pq.read_table(path)
    except Exception:  # a corrupt file: its tasks are all being rerun
        log.warning("replacing unreadable result file %s", path)
        return []
    return [r for r in table.to_pylist() if r["task_id"] not in exclude]
