"""``SchedulerActor``: a long-lived Ray actor serving one scheduler to many clients.

It wraps a ``qray.cloud.worker.SchedulerWorker``: deployment clients call ``choose`` (one
task and the nodes' state) or ``actions`` (a batch of observations); the ``cloud`` sweep
calls ``run_batch`` (evaluation episodes). A learned scheduler is an exported policy
(TorchScript + JSON), so the actor needs neither the RLlib checkpoint nor the env
registration. ``max_concurrency`` lets many clients' calls interleave.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

import ray

from actors.runtime.node import stamp_node
from qray.cloud.worker import SchedulerWorker
from qray.lifecycle import rss_mb

log = logging.getLogger(__name__)


@ray.remote
class SchedulerActor:
    """Holds one scheduler (heuristic or exported policy) and its cloud env."""

    def __init__(self, scheduler: str, env_config: Mapping[str, Any] | None = None, *,
                 name: str = "", actor_name: str = "",
                 worker_kwargs: Mapping[str, Any] | None = None) -> None:
        logging.basicConfig(level=logging.INFO)
        for noisy in ("qiskit", "qiskit_ibm_runtime"):  # per-pass timings, job submissions
            logging.getLogger(noisy).setLevel(logging.WARNING)
        import torch

        torch.set_num_threads(1)
        self.worker = SchedulerWorker(scheduler, env_config, name=name, actor_name=actor_name,
                                      **dict(worker_kwargs or {}))
        log.info("scheduler actor %s (%s) ready in pid %d", actor_name, scheduler, os.getpid())

    def choose(self, state: Mapping[str, Any]) -> int:
        return self.worker.choose(state)

    def actions(self, obs: Any) -> list[int]:
        return self.worker.actions(obs)

    def run_batch(self, specs: Sequence[Mapping[str, Any]], warmup: int = 0) -> dict[str, Any]:
        rows = self.worker.run_batch(specs)
        return {"rows": stamp_node(rows), "recycle": self.worker.should_recycle()}

    def info(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "rss_mb": rss_mb(), **self.worker.info()}
