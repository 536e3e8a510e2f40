"""SchedulerActor: one scheduler served to many concurrent clients, and evaluation
episodes as rows."""

from __future__ import annotations

import numpy as np
import pytest

from actors.scheduler import SchedulerActor
from qray.cloud.worker import SchedulerWorker


def states(n: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    return [{"width": int(rng.integers(2, 28)), "wait": rng.uniform(0, 50, 5).tolist(),
             "exec_time": rng.uniform(0.5, 40, 5).tolist()} for _ in range(n)]


def test_many_clients_get_the_local_decisions(ray_session) -> None:
    ray = ray_session
    actor = SchedulerActor.options(max_concurrency=8).remote("FeasibleGreedy", {})
    local = SchedulerWorker("FeasibleGreedy", {})
    asks = states(64)
    refs = [actor.choose.remote(s) for s in asks]  # all in flight at once
    got = ray.get(refs)
    assert got == [local.choose(s) for s in asks]
    for s, a in zip(asks, got, strict=True):
        assert s["width"] <= local.env.qubits[a]  # never a node that is too small
    info = ray.get(actor.info.remote())
    assert info["decisions"] == 64
    ray.kill(actor)


def test_evaluation_episodes_come_back_as_rows(ray_session) -> None:
    ray = ray_session
    actor = SchedulerActor.remote("Random", {"tasks": {"per_episode": 5}}, name="Random")
    specs = [{"task_id": f"t{i}", "point_id": "p", "sweep_id": "s", "seed": i,
              "params": {"scheduler": "Random", "episode_key": 10_000_000 + i}}
             for i in range(3)]
    out = ray.get(actor.run_batch.remote(specs))
    rows = out["rows"]
    assert [r["status"] for r in rows] == ["ok"] * 3
    assert all(r["tasks"] == 5 and r["total_completion"] > 0 for r in rows)
    ray.kill(actor)


def test_heuristic_refuses_raw_observations() -> None:
    with pytest.raises(TypeError, match="heuristic"):
        SchedulerWorker("Greedy", {}).actions(np.zeros((1, 38)))
