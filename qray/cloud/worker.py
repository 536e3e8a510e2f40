"""The scheduler worker: one scheduler (heuristic or exported policy) and its env.

Plain Python; ``actors.cloud.actor.SchedulerActor`` is a thin shell around it. It serves
single decisions (``choose``/``actions``, for deployment clients) and runs evaluation
episodes (``run_batch``, for the ``cloud`` sweep), one row per episode.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from qray.cloud.rows import WORKLOAD
from qray.worker import RowWorker

log = logging.getLogger(__name__)

POLICY_PREFIX = "policy:"


def make_scheduler(spec: str, key: str = "schedulers", env: Any = None) -> Any:
    """A heuristic by name, or an exported policy as ``policy:<folder>``; with ``env`` (a
    ``CloudEnvConfig``) a policy must have been trained on that env's observation."""
    if spec.startswith(POLICY_PREFIX):
        from qray.cloud.env import policy_mismatch
        from qray.cloud.policy import load
        from qray.errors import ConfigError, QrayError

        try:
            policy = load(spec[len(POLICY_PREFIX):])
        except (OSError, ValueError, QrayError) as exc:
            raise ConfigError(key, spec, "an exported policy folder (jobs/export_policy.py)",
                              problem=f"cannot load ({exc}):") from None
        problem = policy_mismatch(policy.params, env) if env is not None else None
        if problem:
            raise ConfigError(key, spec, "a policy trained on this env",
                              problem=f"observation differs ({problem}):")
        return policy
    from qray.cloud.heuristics import make_heuristic

    return make_heuristic(spec, key)


def scheduler_kind(scheduler: Any) -> str:
    meta = getattr(scheduler, "meta", None)
    return str(meta["algorithm"]) if meta else "heuristic"


class SchedulerWorker(RowWorker):
    """Holds one scheduler and a cloud env built from ``env_config``."""

    WORKLOAD = WORKLOAD

    def __init__(self, scheduler: str, env_config: Mapping[str, Any] | None = None, *,
                 name: str = "", actor_name: str = "", max_tasks: int = 0,
                 max_rss_mb: float = float("inf")) -> None:
        from qray.cloud.env import QuantumCloudEnv

        self.spec = scheduler
        self.env = QuantumCloudEnv(dict(env_config or {}))
        self.scheduler = make_scheduler(scheduler, env=self.env.cfg)
        self.name = name or getattr(self.scheduler, "name", scheduler)
        self.scheduler.reset(0)
        super().__init__(actor_name=actor_name or f"inprocess/cloud/{self.name}",
                         max_tasks=max_tasks, max_rss_mb=max_rss_mb)
        self.decisions = 0

    # -- serving -----------------------------------------------------------------------
    def actions(self, obs: Any) -> list[int]:
        """Greedy node index for each observation of a batch (learned policies)."""
        if not hasattr(self.scheduler, "actions"):
            raise TypeError(f"{self.name} is a heuristic: it decides from a state, use choose()")
        out = self.scheduler.actions(np.asarray(obs, dtype=np.float32))
        self.decisions += len(out)
        return [int(a) for a in out]

    def choose(self, state: Mapping[str, Any]) -> int:
        """Node index for one task given the nodes' state (see ``LoadedPolicy.choose``)."""
        self.decisions += 1
        if hasattr(self.scheduler, "choose"):
            return self.scheduler.choose(state)
        from qray.cloud.env import CloudView

        n = len(self.env.qubits)
        width = int(state["width"])
        wait = np.asarray(state["wait"], dtype=np.float64)
        view = CloudView(width, self.env.qubits, width <= self.env.qubits, wait,
                         np.asarray(state.get("available", wait), dtype=np.float64),
                         np.asarray(state["exec_time"], dtype=np.float64),
                         self.env.readout, self.env.gate2q)
        if len(wait) != n:
            raise ValueError(f"state has {len(wait)} nodes; the env has {n}")
        return int(self.scheduler.act(None, view))

    # -- evaluation --------------------------------------------------------------------
    @staticmethod
    def identity(params: Mapping[str, Any]) -> dict[str, Any]:
        return {"scheduler": params["scheduler"], "episode_key": int(params["episode_key"])}

    def columns(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        return {**self.identity(spec["params"]), "kind": scheduler_kind(self.scheduler),
                "nodes": list(self.env.cfg.nodes)}

    def compute(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        """One evaluation episode (``spec['params']['episode_key']``)."""
        from qray.cloud.evaluate import run_episode

        t0 = time.perf_counter()
        m = run_episode(self.env, self.scheduler, int(spec["params"]["episode_key"]))
        decide = time.perf_counter() - t0
        return {
            "tasks": m["tasks"], "total_completion": m["total_completion"],
            "total_completion_excl_delay": m["total_completion_excl_delay"],
            "total_wait": m["total_wait"], "reschedules": m["reschedules"],
            "makespan": m["makespan"], "mean_utilization": float(np.mean(m["utilization"])),
            "utilization": list(m["utilization"]), "truncated": m["truncated"],
            "steps": m["steps"], "decide_s": decide}

    def info(self) -> dict[str, Any]:
        return {"scheduler": self.name, "tasks_done": self.tasks_done,
                "decisions": self.decisions}
