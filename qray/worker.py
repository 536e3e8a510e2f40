"""``RowWorker``: the base of a plain worker that turns task specs into rows.

A subclass implements ``compute(spec) -> dict`` (its own columns, and ``status`` when a
task ends otherwise than ``ok``) and, optionally, ``identity(params)`` (the identifying
columns every row of the task has, even when it fails or its actor dies); the base gives every worker the same common columns,
timing, peak RSS, error rows (an exception is the task's ``error`` row, never a crashed
actor) and recycling. The generic actor shell (``actors.runtime.worker_actor.WorkerActor``) holds
one in a long-lived Ray actor; ``qray.testing.check_workload`` runs one in-process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from qray.lifecycle import RecyclePolicy, peak_rss_mb
from qray.results.schema import common_row

log = logging.getLogger(__name__)


class RowWorker:
    """Runs tasks of workload ``WORKLOAD`` one row each.

    Attributes:
        WORKLOAD: the workload name its rows carry (set by each subclass).
        LOG_TRACEBACKS: whether a failed task's traceback is also logged.
    """

    WORKLOAD: str = ""
    #: log each failed task's traceback (False: the error row alone carries it)
    LOG_TRACEBACKS: bool = True

    def __init__(self, *, actor_name: str = "", max_tasks: int = 0,
                 max_rss_mb: float = float("inf")) -> None:
        self.actor_name = actor_name or f"inprocess/{self.WORKLOAD}"
        self.policy = RecyclePolicy(max_tasks, max_rss_mb)
        self.tasks_done = 0

    def compute(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """The row's own columns for one task (``spec["params"]`` holds its parameters)."""
        raise NotImplementedError

    @staticmethod
    def identity(params: Mapping[str, Any]) -> dict[str, Any]:
        """The columns that identify a task's row, from its parameters alone: every row
        has them, the row of a task whose actor died (built by the runtime) included."""
        return {}

    def columns(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Columns of the task's row set before it runs (kept if it fails): its
        :meth:`identity`, and whatever this worker adds."""
        return self.identity(spec["params"])

    def describe_error(self, exc: BaseException) -> str:
        """The ``error`` text of a task that raised ``exc``."""
        return f"{type(exc).__name__}: {exc}"

    def warmup(self) -> float:
        """Pay import and first-call costs before the first timed task; returns seconds."""
        return 0.0

    def run_batch(self, specs: Sequence[Mapping[str, Any]], *, warmup: int = 0) -> list[dict]:
        """One row per spec, in order."""
        return [self.run_task(spec) for spec in specs]

    def run_task(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """The complete row of one task: common columns, its own, timing, status."""
        started = time.perf_counter()
        row = common_row(spec, workload=self.WORKLOAD, actor=self.actor_name)
        row.update(self.columns(spec))
        try:
            own = self.compute(spec)
            row.update(status="ok", error=None)
            row.update(own)
        except Exception as exc:  # a failed task is a row, not a crashed actor
            if self.LOG_TRACEBACKS:
                log.exception("%s task %s failed", self.WORKLOAD, spec.get("task_id"))
            row.update(status="error", error=self.describe_error(exc)[:2000])
        self.tasks_done += 1
        row.update(wall_s=time.perf_counter() - started, peak_rss_mb=peak_rss_mb(),
                   created_at=datetime.now(UTC))
        return row

    def should_recycle(self) -> str | None:
        """Why this worker's process should be replaced now (task count, RSS), or None."""
        return self.policy.reason(self.tasks_done)

    def info(self) -> dict[str, Any]:
        """What the actor reports about its worker."""
        return {"workload": self.WORKLOAD, "tasks_done": self.tasks_done}


def crash_row(workload: str, spec: Mapping[str, Any], message: str, /, *, actor: str = "",
              **columns: Any) -> dict[str, Any]:
    """The ``error`` row of a task whose actor process died running it: the same common
    columns, actor name, error text (at most 2,000 characters) and time for every
    workload, plus the workload's identifying ``columns``."""
    row = common_row(spec, workload=workload, actor=actor)
    row.update(columns)
    row.update(status="error", error=message[:2000], created_at=datetime.now(UTC))
    return row
