"""The Tune trial of a ``qkernels`` grid point: the point's KernelWorkers share its Gram
tiles while the trial runs the k-fold pipeline, then the row is written atomically.

A point holds all ``workers`` workers of its backend, exclusively and all at once (the
pool's ``acquire_many``: two trials never hold part of each other's set, and no point's
timing includes another point's tiles). A worker that dies mid-point is replaced and the
point is run again; a point that kills its workers ``MAX_POINT_CRASHES`` times, or fails
inside (a bad fold, an exception in a worker), gets an ``error`` row.
"""

from __future__ import annotations

import logging
from typing import Any

import ray
from ray.exceptions import ActorDiedError, ActorUnavailableError, RayActorError

from actors.qkernels.gram import TiledGram
from actors.runtime.executor import recover, wait_for, write_point_rows
from actors.runtime.jobs import ChunkJob, TrialContext
from actors.runtime.pool import NAMESPACE
from qray.qkernels.pipeline import crash_row, evaluate_point, feature_map
from qray.qkernels.rows import SCHEMA
from qray.qkernels.spec import worker_keys

log = logging.getLogger(__name__)

MAX_POINT_CRASHES = 2


def run_point(point: ChunkJob, ctx: TrialContext) -> dict[str, int]:
    """Run a qkernels point (one task) on its backend's workers and write its row."""
    pool = ray.get_actor(ctx.pool_name, namespace=NAMESPACE)
    rows = [_run_spec(pool, spec) for spec in point.specs]
    return write_point_rows(point, rows, ctx, SCHEMA)


def _run_spec(pool: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """A point's row: ``ok``, or ``error`` with the reason (a point that failed is
    recorded, not retried forever; ``--rerun-failed`` runs it again)."""
    p = spec["params"]
    keys = worker_keys(p["backend"], int(p["workers"]))
    handles = acquire_all(pool, keys)
    reasons: dict[str, str | None] = dict.fromkeys(keys)
    crashes = 0
    try:
        while True:
            try:
                # workers just created are still warming up (imports, numba compilation):
                # wait, so that start-up is not timed as kernel work
                ray.get([h.__ray_ready__.remote() for h in handles])
                row = _evaluate(spec, handles)
                reasons = dict(zip(keys, ray.get([h.point_done.remote() for h in handles]),
                                   strict=True))
                return {**row, **worker_nodes(handles)}
            except (ActorDiedError, ActorUnavailableError, RayActorError) as exc:
                crashes += 1
                log.warning("a %s worker died during point %s (%s)", p["backend"],
                            spec["point_id"], type(exc).__name__)
                if crashes >= MAX_POINT_CRASHES:
                    return crash_row(spec, f"kernel workers died running this point {crashes} "
                                     f"times ({type(exc).__name__}: {exc})")
                handles = [recover(pool, k, h) for k, h in zip(keys, handles, strict=True)]
            except Exception as exc:  # a failure inside the point: record it
                log.warning("point %s failed: %s", spec["point_id"], exc)
                return crash_row(spec, f"{type(exc).__name__}: {exc}")
    finally:
        for key in keys:
            pool.release.remote(key, reasons[key])


def worker_nodes(handles: list[Any]) -> dict[str, str | None]:
    """The node ids, host names, CPU models and GPUs of a point's workers (each
    comma-separated and sorted; None where no worker has one)."""
    idents = ray.get([h.node.remote() for h in handles])
    out = {k: ",".join(sorted({str(i[k]) for i in idents if i.get(k) is not None})) or None
           for k in ("node_id", "host", "cpu_model", "gpu")}
    out["cpu_count"] = idents[0].get("cpu_count") if idents else None  # type: ignore[assignment]
    return out


def acquire_all(pool: Any, keys: list[str]) -> list[Any]:
    """All of a point's workers, exclusively, waiting (with backoff) until the pool has
    room for every one of them."""
    return wait_for(lambda: ray.get(pool.acquire_many.remote(keys)))


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


def validate_workers(cfg: Any, resources_of: Any) -> None:
    """Refuse, before any work, worker sets that cannot all be placed at once, and GPU
    backends that cannot run on the cluster's GPU nodes."""
    from actors.runtime.resources import spec_demand
    from kernels.registry import GPU_BACKENDS, unavailable_reason
    from qray.errors import ConfigError, ResourceError

    free = {r: float(v) for r, v in ray.available_resources().items()}
    workers = cfg.workers
    for i, backend in enumerate(cfg.backends):
        spec = resources_of(cfg, backend)
        for r, v in spec_demand(spec).items():
            if v * workers > free.get(r, 0.0) + 1e-9:
                field_of = {"CPU": "num_cpus", "GPU": "num_gpus"}.get(r, f"resources.{r}")
                raise ResourceError(
                    f"config key 'workers': value {workers} cannot be satisfied for backend "
                    f"{backend}: {workers} workers x {v:g} {r} (resources.{backend}."
                    f"{field_of}) > the {free.get(r, 0.0):g} {r} the cluster has free; "
                    f"allowed: at most {int(free.get(r, 0.0) // v)} workers, or a smaller "
                    f"reservation per worker")
        if backend in GPU_BACKENDS:
            probe = ray.remote(unavailable_reason).options(num_cpus=0, num_gpus=spec.num_gpus,
                                               resources=dict(spec.resources) or None)
            try:
                reason = ray.get(probe.remote(backend), timeout=300)
            except ray.exceptions.GetTimeoutError:
                reason = "a probe task with this GPU reservation was not scheduled in 300 s"
            if reason:
                raise ConfigError(f"backends[{i}]", backend,
                                  "a backend that can run on the cluster's GPU nodes",
                                  problem=f"unusable there ({reason}):")
