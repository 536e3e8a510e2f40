"""``AllocatorActor``: a long-lived Ray actor around one ``NetsimWorker``.

One actor per physics model (``replicas`` of them when configured) builds its topology
once and runs many experiments; it keeps its memory flat by design and is recycled by
the pool (task count, RSS limit) like every workload actor.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import ray

from qray.lifecycle import rss_mb
from qray.netsim.worker import NetsimWorker

log = logging.getLogger(__name__)


@ray.remote
class AllocatorActor:
    """Holds one physics model's testbed(s) and runs experiment batches."""

    def __init__(self, physics: str, *, actor_name: str, worker_kwargs: Mapping[str, Any]) -> None:
        logging.basicConfig(level=logging.INFO)
        self.worker = NetsimWorker(physics, actor_name=actor_name, **worker_kwargs)
        log.info("actor %s ready in pid %d", actor_name, os.getpid())

    def run_batch(self, specs: Sequence[Mapping[str, Any]], warmup: int = 0) -> dict[str, Any]:
        """Run a batch; returns its rows and, when due, why the actor should be recycled."""
        rows = self.worker.run_batch(specs)
        return {"rows": rows, "recycle": self.worker.should_recycle()}

    def info(self) -> dict[str, Any]:
        """Process id, tasks run, cached testbeds and memory of this actor."""
        return {
            "pid": os.getpid(),
            "physics": self.worker.physics,
            "tasks_done": self.worker.tasks_done,
            "testbeds": len(self.worker.testbeds),
            "rss_mb": rss_mb(),
        }
