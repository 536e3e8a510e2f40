"""The netsim actor on a real embedded Ray: many experiments with flat memory; a netsim
sweep through the generic driver (rows once, rerun idempotent, summary tables)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import actors
from actors.runtime.worker_actor import WorkerActor
from qray.netsim.registry import LEARNERS
from qray.netsim.workload import replicate_seed
from qray.results import read_dataset

log = logging.getLogger(__name__)
NETSIM_WORKER = "qray.netsim.worker:NetsimWorker"
CONF = Path(__file__).resolve().parents[3] / "jobs" / "conf" / "netsim_paper8.yaml"
QUIET = ["ray.include_dashboard=false", "summarize=false"]


def _spec(i: int, learner: str, physics: str = "default") -> dict:
    params = {"physics": physics, "model_params": {}, "topology_seed": 0,
              "allocator": "Dynamic", "scenario": "adaptive", "learner": learner,
              "horizon": 400, "epoch": 100, "scale": 1.0, "allocator_params": {},
              "scenario_params": {}, "learner_params": {}, "replicate": i}
    return {"task_id": f"t{i}", "point_id": "p", "sweep_id": "s", "seed": 1000 + i,
            "params": params}


@pytest.mark.slow  # about 25 s; tests/reliability/test_soak.py soaks a netsim actor in the default suite
def test_allocator_actor_soak_keeps_rss_flat(ray_session) -> None:
    ray = ray_session
    actor = WorkerActor.options(num_cpus=1).remote(
        NETSIM_WORKER, actor_name="soak", worker_kwargs={"physics": "default", "max_tasks": 0})
    learners = list(LEARNERS)
    rss = []
    n = 0
    for _ in range(12):
        specs = [_spec(n + i, learners[(n + i) % len(learners)]) for i in range(20)]
        n += len(specs)
        out = ray.get(actor.run_batch.remote(specs))
        assert [r["status"] for r in out["rows"]] == ["ok"] * 20
        assert out["recycle"] is None
        rss.append(ray.get(actor.info.remote())["rss_mb"])
    info = ray.get(actor.info.remote())
    assert info["tasks_done"] == n == 240 and info["testbeds"] == 1
    growth = rss[-1] - rss[1]
    log.info("netsim actor soak: %d experiments, RSS after batch 2 %.1f MiB, after the "
             "last %.1f MiB (growth %.1f MiB)", n, rss[1], rss[-1], growth)
    print(f"soak: {n} experiments in one netsim actor; RSS {rss[1]:.1f} -> {rss[-1]:.1f} MiB")
    assert growth < 10, rss
    ray.kill(actor)


def test_netsim_sweep_rows_once_and_rerun_idempotent(ray_session, tmp_path: Path) -> None:
    over = [*QUIET, f"output_dir={tmp_path}", "horizons=[300,500]", "runs=2",
            "learners=[Oracle,UCB1,EXPNeuralUCB]", "scenarios=[none,adaptive]",
            "allocators=[Default,Dynamic]", "epoch=100"]
    report = actors.sweep(CONF, over, summarize=True)
    n = 3 * 2 * 2 * 2 * 2
    assert report.complete and report.run_tasks == report.total_tasks == n
    table, problems = read_dataset(report.sweep_dir / "netsim")
    df = table.to_pandas()
    assert not problems and len(df) == n and df["task_id"].is_unique
    assert set(df["status"]) == {"ok"}
    assert set(df["actor"]) == {"qray/netsim/paper8-0", "qray/netsim/paper8-1"}
    assert (df[df["learner"] == "Oracle"]["efficiency"] - 100).abs().max() < 1e-9
    # common random numbers: every learner of a replicate saw the same seed
    seeds = df.groupby(["scenario", "horizon", "replicate"])["seed"].nunique()
    assert (seeds == 1).all()
    row = df.iloc[0]
    assert row["seed"] == replicate_seed(0, eval_params(row))
    md = (report.sweep_dir / "summary.md").read_text()
    assert "### paper8, Dynamic allocator" in md and "| UCB1 |" in md
    for name in ("efficiency.csv", "paths.csv", "curves_paper8_Default.png",
                 "allocation_paper8.png"):
        assert (report.sweep_dir / name).stat().st_size > 0, name
    again = actors.sweep(CONF, over, summarize=False)
    assert again.run_tasks == 0 and again.skipped_tasks == n


def eval_params(row) -> dict:  # noqa: ANN001
    import json

    return json.loads(row["params_json"])
