"""qray's Prometheus metrics (``ray.util.metrics``), exported on each node's metrics port.

- ``qray_runs_total{workload, backend, status}``: task rows written (a run, an experiment,
  a k-fold point) by outcome; ``backend`` is the value of the column the workload's spec
  names as its metric tag (simulator or kernel backend, physics model, scheduler, router);
- ``qray_run_seconds{workload, backend}``: histogram of each row's wall seconds;
- ``qray_actor_events_total{workload, event}``: actors created, recycled, evicted and
  replaced by the pool;
- ``qray_tasks_remaining{workload, sweep}``: tasks of the running sweep not written yet
  (set by the driver as trials report; 0 when it ends).

``cluster/grafana/qray.json`` is a Grafana dashboard of these.

Ray prefixes custom metrics with ``ray_`` on the endpoint (``ray_qray_runs_total``). The
metrics are created lazily in whichever Ray process records them first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

log = logging.getLogger(__name__)

RUN_SECONDS_BOUNDARIES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000]

_METRICS: dict[str, Any] = {}


def _get() -> dict[str, Any]:
    if not _METRICS:
        from ray.util.metrics import Counter, Gauge, Histogram

        _METRICS["runs"] = Counter(
            "qray_runs", description="Task rows written by qray sweeps, by outcome.",
            tag_keys=("workload", "backend", "status"))
        _METRICS["seconds"] = Histogram(
            "qray_run_seconds", description="Wall seconds of each task row.",
            boundaries=RUN_SECONDS_BOUNDARIES, tag_keys=("workload", "backend"))
        _METRICS["actors"] = Counter(
            "qray_actor_events", description="Workload actors created, recycled, evicted "
            "and replaced by the actor pool.", tag_keys=("workload", "event"))
        _METRICS["remaining"] = Gauge(
            "qray_tasks_remaining", description="Tasks of the running sweep not written yet.",
            tag_keys=("workload", "sweep"))
    return _METRICS


def metric_fields(row: Mapping[str, Any], tag: str) -> dict[str, Any]:
    """The fields of a row that its metrics use (what the trial hands to the recorder):
    its tag (the value of column ``tag``), status and wall seconds."""
    return {"backend": str(row.get(tag) or "") if tag else "", "status": row.get("status"),
            "wall_s": row.get("wall_s")}


def record_rows(workload: str, rows: Iterable[Mapping[str, Any]]) -> None:
    """Count written rows and observe their wall seconds (never raises)."""
    try:
        m = _get()
        for row in rows:
            backend = str(row.get("backend") or "")
            m["runs"].inc(1, tags={"workload": workload, "backend": backend,
                                   "status": str(row.get("status"))})
            if row.get("wall_s") is not None:
                m["seconds"].observe(float(row["wall_s"]),
                                     tags={"workload": workload, "backend": backend})
    except Exception as exc:  # metrics must never fail a sweep
        log.debug("metrics not recorded: %s", exc)


def record_actor_event(actor_name: str, event: str) -> None:
    """Count a pool event for the actor named ``qray/<workload>/<key>``."""
    try:
        parts = actor_name.split("/")
        workload = parts[1] if len(parts) > 2 else "unknown"
        _get()["actors"].inc(1, tags={"workload": workload, "event": event})
    except Exception as exc:
        log.debug("metrics not recorded: %s", exc)


def set_tasks_remaining(workload: str, sweep_id: str, remaining: int) -> None:
    """Set the sweep's tasks-remaining gauge (never raises)."""
    try:
        _get()["remaining"].set(float(remaining), tags={"workload": workload,
                                                         "sweep": sweep_id})
    except Exception as exc:
        log.debug("metrics not recorded: %s", exc)
