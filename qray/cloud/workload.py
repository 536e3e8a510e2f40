"""The ``cloud`` sweep: every scheduler on the same held-out seeded episodes.

A grid point is a scheduler and a run of ``episodes_per_point`` episodes; its tasks are the
episodes. Every exported policy is loaded
here, before Ray starts, so a missing or broken policy folder, or one trained on other
nodes, is a config error naming its key. The task id covers the policy's JSON and its
model's verified content digest (and every QASM file's content), so re-exporting a policy
or swapping its model re-runs its episodes and nothing else.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from qray.cloud.config import CloudConfig
from qray.cloud.rows import WORKLOAD
from qray.tasks import Plan, Point, Task, content_hash, stable_seed, wire_specs


def _policy_digest(name: str, folder: str, cfg: CloudConfig) -> str:
    """Load the policy (errors name ``policies.<name>``), check that it was trained on
    this env's observation, and hash what identifies it: its JSON and the content digest
    of its model, which ``load`` requires and verifies against ``policy.pt``; so another
    model in the folder gives other task ids and never reuses this one's rows."""
    from qray.cloud.worker import make_scheduler

    policy = make_scheduler(f"policy:{folder}", f"policies.{name}", cfg.env)
    return content_hash({"policy_json": policy.meta_sha256,
                         "model_digest": policy.model_digest})[:16]


def _qasm_digests(cfg: CloudConfig) -> list[str]:
    """The content hash of every QASM file of the pool (the paths alone are in ``env``),
    so an edited file gives other task ids."""
    return [hashlib.sha256(Path(p).read_bytes()).hexdigest()[:16]
            for p in cfg.env.tasks.qasm_files]


def plan(cfg: CloudConfig) -> Plan:
    env = cfg.env_dict()
    qasm = _qasm_digests(cfg)
    points = []
    for name, spec in cfg.schedulers().items():
        params: dict[str, Any] = {"scheduler": name, "spec": spec, "env": env}
        if qasm:
            params["qasm_sha"] = qasm
        if spec.startswith("policy:"):
            params["policy_sha"] = _policy_digest(name, spec[len("policy:"):], cfg)
        keys = [cfg.seed_base + i for i in range(cfg.episodes)]
        for start in range(0, len(keys), cfg.episodes_per_point):
            chunk = keys[start:start + cfg.episodes_per_point]
            tasks = tuple(Task(WORKLOAD, {**params, "episode_key": k}) for k in chunk)
            points.append(Point(WORKLOAD, {**params, "first_episode": chunk[0]}, tasks))
    return Plan(points, {})


def task_specs(point: Point, cfg: CloudConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    """The wire form of a point's episodes (the env travels with the actor, not the task)."""
    return wire_specs(point, sweep_id, only=only,
                      seed=lambda t: stable_seed("cloud", cfg.seed, t.params["episode_key"]),
                      params=lambda t: {k: v for k, v in t.params.items() if k != "env"})
