"""Soaks: 2,000 simulator runs through one simulators actor and 200 netsim experiments
through one netsim actor; the actors' RSS stays bounded (printed)."""

from __future__ import annotations

from actors.runtime.worker_actor import WorkerActor
from qray.netsim.registry import LEARNERS
from tests.reliability.helpers import figure

SIM_RUNS = 2000
NETSIM_RUNS = 200
NETSIM_WORKER = "qray.netsim.worker:NetsimWorker"


def _sim_spec(i: int) -> dict:
    circuit = ("ghz", "qft", "random")[i % 3]
    return {"task_id": f"s{i}", "point_id": "p", "sweep_id": "soak", "seed": i, "timeout_s": 60,
            "params": {"backend": "numpy", "circuit": circuit, "n_qubits": 4 + i % 5,
                       "depth": 0 if circuit != "random" else 4, "noise": 0.0,
                       "noise_2q": None, "readout_error": 0.0, "shots": 100,
                       "circuit_seed": i % 7, "repetition": i}}


def _netsim_spec(i: int) -> dict:
    learners = list(LEARNERS)
    params = {"physics": "default", "model_params": {}, "topology_seed": 0,
              "allocator": "Dynamic", "scenario": ("none", "stochastic", "adaptive")[i % 3],
              "learner": learners[i % len(learners)], "horizon": 300, "epoch": 100,
              "scale": 1.0, "allocator_params": {}, "scenario_params": {},
              "learner_params": {}, "replicate": i}
    return {"task_id": f"n{i}", "point_id": "p", "sweep_id": "soak", "seed": 5000 + i,
            "params": params}


def _soak(ray, actor, make_spec, total: int, batch: int) -> tuple[list[float], int]:  # noqa: ANN001
    """Run ``total`` tasks through ``actor`` in batches; the RSS after each batch and the
    actor's task count."""
    rss: list[float] = []
    done = 0
    while done < total:
        out = ray.get(actor.run_batch.remote([make_spec(done + i) for i in range(batch)]))
        assert all(r["status"] == "ok" for r in out["rows"]), out["rows"][0].get("error")
        done += len(out["rows"])
        rss.append(ray.get(actor.info.remote())["rss_mb"])
    tasks = ray.get(actor.info.remote())["tasks_done"]
    ray.kill(actor)
    return rss, tasks


def test_simulator_soak_rss_bounded(ray_session) -> None:
    actor = WorkerActor.options(num_cpus=1).remote(
        "qray.simulators.worker:SimulatorWorker", actor_name="soak-sim",
        worker_kwargs={"backend": "numpy", "threads": 1, "max_tasks": 0,
                       "exact_max_qubits": 0})
    rss, tasks = _soak(ray_session, actor, _sim_spec, SIM_RUNS, 100)
    growth = rss[-1] - rss[1]
    figure("simulators actor soak", runs=tasks, rss_after_200_mb=round(rss[1], 1),
           rss_end_mb=round(rss[-1], 1), rss_max_mb=round(max(rss), 1),
           growth_mb=round(growth, 1))
    assert tasks == SIM_RUNS
    assert growth < 30, rss


def test_netsim_soak_rss_bounded(ray_session) -> None:
    actor = WorkerActor.options(num_cpus=1).remote(
        NETSIM_WORKER, actor_name="soak-netsim",
        worker_kwargs={"physics": "default", "max_tasks": 0})
    rss, tasks = _soak(ray_session, actor, _netsim_spec, NETSIM_RUNS, 20)
    growth = rss[-1] - rss[1]
    figure("netsim actor soak", experiments=tasks, rss_after_40_mb=round(rss[1], 1),
           rss_end_mb=round(rss[-1], 1), rss_max_mb=round(max(rss), 1),
           growth_mb=round(growth, 1))
    assert tasks == NETSIM_RUNS
    assert growth < 15, rss
