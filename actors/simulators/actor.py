"""``SimulatorActor``: a long-lived Ray actor around one ``SimulatorWorker``."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import ray

from actors.runtime.resources import THREAD_ENV_VARS, thread_env  # noqa: F401  (re-exported)
from qray.lifecycle import rss_mb
from qray.simulators.worker import SimulatorWorker

log = logging.getLogger(__name__)


@ray.remote
class SimulatorActor:
    """Holds one backend (library imported and warmed up once) and runs task batches.

    The warmup in ``__init__`` pays the import and first-call costs outside the figures.
    After each batch the actor says whether it should be recycled (task count, RSS limit,
    an uninterruptible timed-out run); the pool then restarts its process.
    """

    def __init__(self, backend: str, *, threads: int, actor_name: str,
                 worker_kwargs: Mapping[str, Any]) -> None:
        logging.basicConfig(level=logging.INFO)
        self.worker = SimulatorWorker(backend, threads=threads, actor_name=actor_name,
                                      **worker_kwargs)
        self.warmup_s = self.worker.warmup()
        log.info("actor %s ready in pid %d (warmup %.3fs)", actor_name, os.getpid(),
                 self.warmup_s)

    def run_batch(self, specs: Sequence[Mapping[str, Any]], warmup: int = 0) -> dict[str, Any]:
        """Run a batch; returns its rows and, when due, why the actor should be recycled."""
        rows = self.worker.run_batch(specs, warmup=warmup)
        return {"rows": rows, "recycle": self.worker.should_recycle()}

    def info(self) -> dict[str, Any]:
        """Process id, thread settings, tasks run and memory of this actor."""
        return {
            "pid": os.getpid(),
            "backend": self.worker.backend.name,
            "threads": self.worker.backend.threads,
            "thread_settings": self.worker.thread_settings,
            "env_threads": {k: os.environ.get(k) for k in THREAD_ENV_VARS},
            "tasks_done": self.worker.tasks_done,
            "rss_mb": rss_mb(),
            "warmup_s": self.warmup_s,
        }
