"""``WorkerActor``: the generic long-lived Ray actor around any plain worker.

The worker class comes from the workload's spec (``"module:Class"``), so a workload needs
no actor code of its own: the actor builds the worker once, warms it up, and runs task
batches, saying after each whether its process should be recycled.
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import ray

from actors.runtime.node import node_identity, stamp_node
from qray.errors import QrayError
from qray.lifecycle import RssGrowth, rss_mb
from qray.workloads import resolve

log = logging.getLogger(__name__)


class WorkerInitError(QrayError):
    """An actor's worker could not be built (its class, its constructor): every retry
    would fail the same way, so the sweep stops with this message."""


@ray.remote
class WorkerActor:
    """Holds one worker (``worker``: ``"module:Class"``) built with ``worker_kwargs``."""

    def __init__(self, worker: str, *, actor_name: str,
                 worker_kwargs: Mapping[str, Any] | None = None,
                 max_rss_growth_mb: float = float("inf")) -> None:
        # warnings and errors reach the driver's output; the actor's own INFO lines would
        # repeat for every actor of every sweep
        logging.basicConfig(level=os.environ.get("QRAY_ACTOR_LOG_LEVEL", "WARNING"))
        self.actor_name = actor_name
        self.warmup_s = 0.0
        self.growth = RssGrowth(max_rss_growth_mb)
        self.init_error: str | None = None
        try:
            cls = resolve(worker)
            kwargs = dict(worker_kwargs or {})
            params = inspect.signature(cls).parameters
            if "actor_name" in params or any(p.kind is p.VAR_KEYWORD for p in params.values()):
                kwargs.setdefault("actor_name", actor_name)
            self.worker = cls(**kwargs)
            warm = getattr(self.worker, "warmup", None)
            self.warmup_s = float(warm() or 0.0) if callable(warm) else 0.0
        except Exception as exc:  # kept, so the trial reports it instead of Ray restarting
            # the actor for every task: building it again would fail the same way
            log.error("actor %s could not build its worker %s: %s", actor_name, worker, exc)
            self.init_error = str(exc) if isinstance(exc, QrayError) \
                else f"{type(exc).__name__}: {exc}"
            return
        self._takes_warmup = "warmup" in inspect.signature(self.worker.run_batch).parameters
        log.info("actor %s (%s) ready in pid %d", actor_name, worker, os.getpid())

    def run_batch(self, specs: Sequence[Mapping[str, Any]], warmup: int = 0) -> dict[str, Any]:
        """Run a batch; returns its rows and, when due, why the actor should be recycled.
        Raises WorkerInitError when the worker could not be built."""
        if self.init_error is not None:
            raise WorkerInitError(f"actor {self.actor_name} could not build its worker: "
                                  f"{self.init_error}")
        if self._takes_warmup:
            rows = self.worker.run_batch(specs, warmup=warmup)
        else:
            rows = self.worker.run_batch(specs)
        recycle = getattr(self.worker, "should_recycle", None)
        reason = recycle() if callable(recycle) else None
        return {"rows": stamp_node(rows), "recycle": reason or self.growth.reason()}

    def info(self) -> dict[str, Any]:
        """Process id, memory and what the worker reports."""
        info = getattr(getattr(self, "worker", None), "info", None)
        return {"pid": os.getpid(), "rss_mb": rss_mb(), "warmup_s": self.warmup_s,
                **node_identity(),
                **(info() if callable(info) else {})}
