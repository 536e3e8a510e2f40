"""``RouterActor``: a long-lived Ray actor routing and verifying circuits with one router.

It wraps ``qray.routing.worker.RoutingWorker``; the ``routing`` sweep calls ``run_batch``.
A learned router is an exported policy (TorchScript + JSON): no RLlib needed here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import ray

from qray.lifecycle import rss_mb
from qray.routing.worker import RoutingWorker

log = logging.getLogger(__name__)


@ray.remote
class RouterActor:
    """Holds one router (per coupling map) and routes batches of circuits."""

    def __init__(self, router: str, *, actor_name: str = "",
                 worker_kwargs: Mapping[str, Any] | None = None) -> None:
        logging.basicConfig(level=logging.INFO)
        logging.getLogger("qiskit").setLevel(logging.WARNING)  # per-pass timings
        import torch

        torch.set_num_threads(1)
        self.worker = RoutingWorker(router, actor_name=actor_name, **dict(worker_kwargs or {}))
        log.info("router actor %s ready in pid %d", actor_name, os.getpid())

    def run_batch(self, specs: Sequence[Mapping[str, Any]], warmup: int = 0) -> dict[str, Any]:
        rows = self.worker.run_batch(specs)
        return {"rows": rows, "recycle": self.worker.should_recycle()}

    def info(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "rss_mb": rss_mb(), **self.worker.info()}
