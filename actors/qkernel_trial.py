"""The Tune trial of a ``qkernels`` grid point: the point's KernelWorkers share its Gram
tiles while the trial runs the k-fold pipeline, then the row is written atomically.

A point holds all ``workers`` workers of its backend (acquired in index order, so two
trials never hold each other's workers). A worker that dies mid-point is replaced and the
point is run again; a point that kills its workers ``MAX_POINT_CRASHES`` times gets an
``error`` row.
"""

from __future__ import annotations

import logging
from typing import Any

import ray
from ray.exceptions import ActorDiedError, ActorUnavailableError, RayActorError

from actors.executor import acquire, existing_rows, point_path, recover
from actors.kernel_driver import TiledGram
from actors.pool import NAMESPACE
from qray.qkernels.pipeline import crash_row, evaluate_point, feature_map
from qray.qkernels.rows import SCHEMA
from qray.results import rows_to_table, write_table_atomic

log = logging.getLogger(__name__)

MAX_POINT_CRASHES = 2


def worker_keys(backend: str, workers: int) -> list[str]:
    """Pool keys of a backend's KernelWorkers."""
    return [f"{backend}-{i}" for i in range(workers)]


def run_point(point: dict[str, Any], ctx: dict[str, Any]) -> dict[str, int]:
    """Run a qkernels point (one task) on its backend's workers and write its row."""
    pool = ray.get_actor(ctx["pool_name"], namespace=NAMESPACE)
    rows = []
    for spec in point["specs"]:
        rows.append(_run_spec(pool, spec))
    path = point_path(ctx["sweep_dir"], ctx["workload"], point["point_id"])
    kept = existing_rows(path, exclude={s["task_id"] for s in point["specs"]})
    write_table_atomic(rows_to_table(kept + rows, SCHEMA), path)
    n_ok = sum(1 for r in rows if r["status"] == "ok")
    return {"rows": len(rows), "ok": n_ok, "failed": len(rows) - n_ok}


def _run_spec(pool: Any, spec: dict[str, Any]) -> dict[str, Any]:
    p = spec["params"]
    keys = worker_keys(p["backend"], int(p["workers"]))
    handles = [acquire(pool, k) for k in keys]
    # workers just created are still warming up (imports, numba compilation): wait, so
    # that start-up is not timed as kernel work
    ray.get([h.__ray_ready__.remote() for h in handles])
    reasons: dict[str, str | None] = dict.fromkeys(keys)
    crashes = 0
    try:
        while True:
            try:
                row = _evaluate(spec, handles)
                reasons = dict(zip(keys, ray.get([h.point_done.remote() for h in handles]),
                                   strict=True))
                return row
            except (ActorDiedError, ActorUnavailableError, RayActorError) as exc:
                crashes += 1
                log.warning("a %s worker died during point %s (%s)", p["backend"],
                            spec["point_id"], type(exc).__name__)
                handles = [recover(pool, k, h) for k, h in zip(keys, handles, strict=True)]
                if crashes >= MAX_POINT_CRASHES:
                    return crash_row(spec, f"kernel workers died running this point {crashes} "
                                     f"times ({type(exc).__name__}: {exc})")
    finally:
        for key in keys:
            pool.release.remote(key, reasons[key])


def _evaluate(spec: dict[str, Any], handles: list[Any]) -> dict[str, Any]:
    p = spec["params"]
    fmap = feature_map(p)
    gram = TiledGram(handles, fmap, int(p["tile"]), dtype=p["precision"])

    def qcnn(x_train, y_train, x_test, **kwargs):  # noqa: ANN001, ANN003, ANN202
        return ray.get(handles[0].qcnn_features.remote(x_train, y_train, x_test, **kwargs))

    row = evaluate_point(spec, gram, qcnn=qcnn, actor=f"qray/qkernels/{p['backend']}")
    infos = ray.get([h.info.remote() for h in handles])
    row["worker_pids"] = [i["pid"] for i in infos]
    return row
