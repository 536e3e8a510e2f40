"""SchedulerActor: one scheduler served to many concurrent clients, and evaluation
episodes as rows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from actors.cloud.actor import SchedulerActor
from qray.cloud.env import policy_params
from qray.cloud.env_config import env_config
from qray.cloud.features import observation_size
from qray.cloud.heuristics import HEURISTICS
from qray.cloud.policy import FORMAT, model_digest
from qray.cloud.worker import SchedulerWorker


def states(n: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    return [{"width": int(rng.integers(2, 28)), "wait": rng.uniform(0, 50, 5).tolist(),
             "exec_time": rng.uniform(0.5, 40, 5).tolist(),
             "queue": rng.integers(0, 4, 5).tolist()} for _ in range(n)]


def tiny_policy(folder: Path) -> str:
    """An exported policy in qray's format: a random linear scorer, TorchScript."""
    torch.manual_seed(0)
    size = observation_size(5)
    model = torch.jit.script(torch.nn.Sequential(torch.nn.Linear(size, 5)))
    folder.mkdir()
    torch.jit.save(model, str(folder / "policy.pt"))
    (folder / "policy.json").write_text(json.dumps({
        "format": FORMAT, "algorithm": "DQN", "name": "tiny", "obs_size": size,
        "n_actions": 5, "params": policy_params(env_config({})),
        "model_digest": model_digest(model)}))
    return f"policy:{folder}"


@pytest.mark.parametrize("scheduler", ["FeasibleGreedy", "RoundRobin", "policy"])
def test_many_clients_get_the_local_decisions(ray_session, tmp_path: Path,
                                              scheduler: str) -> None:
    ray = ray_session
    spec = tiny_policy(tmp_path / "p") if scheduler == "policy" else scheduler
    actor = SchedulerActor.options(max_concurrency=8).remote(spec, {})
    local = SchedulerWorker(spec, {})
    asks = states(64)
    refs = [actor.choose.remote(s) for s in asks]  # all in flight at once
    got = ray.get(refs)
    assert all(0 <= a < 5 for a in got)
    if scheduler != "RoundRobin":  # stateful: the order of arrival matters
        assert got == [local.choose(s) for s in asks]
    else:
        assert sorted(got) == sorted(local.choose(s) for s in asks)
    if scheduler == "FeasibleGreedy":
        assert all(s["width"] <= local.env.qubits[a] for s, a in zip(asks, got, strict=True))
    assert ray.get(actor.info.remote())["decisions"] == 64
    ray.kill(actor)


@pytest.mark.parametrize("scheduler", list(HEURISTICS))
def test_every_heuristic_serves_decisions_before_any_episode(scheduler: str) -> None:
    worker = SchedulerWorker(scheduler, {})
    got = [worker.choose(s) for s in states(20, seed=1)]
    assert all(0 <= a < 5 for a in got) and worker.info()["decisions"] == 20


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
