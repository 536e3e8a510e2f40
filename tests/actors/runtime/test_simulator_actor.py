"""The simulators' actor (the generic WorkerActor around a SimulatorWorker) and the pool on
a real embedded Ray (2 CPUs)."""

from __future__ import annotations

import time

from actors.runtime.pool import NAMESPACE, ActorPool, ActorSpec
from actors.runtime.resources import thread_env
from actors.runtime.worker_actor import WorkerActor

WORKER = "qray.simulators.worker:SimulatorWorker"


def _spec(i: int = 0, backend: str = "numpy", n: int = 3) -> dict:
    return {"task_id": f"t{i}", "point_id": "p", "sweep_id": "s", "seed": i, "timeout_s": 30,
            "params": {"backend": backend, "circuit": "ghz", "n_qubits": n, "depth": 0,
                       "noise": 0.0, "noise_2q": None, "readout_error": 0.0, "shots": 50,
                       "circuit_seed": 1, "repetition": 1}}


def test_actor_sets_thread_count_to_reserved_cpus(ray_session) -> None:
    ray = ray_session
    for backend, cpus in (("qiskit-aer", 2), ("qsim", 1)):
        actor = WorkerActor.options(
            num_cpus=cpus, runtime_env={"env_vars": thread_env(cpus)}
        ).remote(WORKER, actor_name="t", worker_kwargs={"backend": backend, "threads": cpus})
        info = ray.get(actor.info.remote())
        assert info["threads"] == cpus
        assert set(info["thread_settings"].values()) == {cpus}
        assert set(info["env_threads"].values()) == {str(cpus)}
        ray.kill(actor)


def test_pool_names_shares_evicts_and_recycles(ray_session) -> None:
    ray = ray_session
    specs = {
        b: ActorSpec(name=f"qray/simulators/{b}", cls="actors.runtime.worker_actor:WorkerActor",
                     kwargs={"worker": WORKER, "actor_name": b,
                             "worker_kwargs": {"backend": b, "threads": 1, "max_tasks": 3}},
                     options={"num_cpus": 1, "max_restarts": 5, "max_task_retries": 2})
        for b in ("numpy", "stim", "cirq")
    }
    pool = ActorPool.remote(specs, {"CPU": 2.0})
    a = ray.get(pool.acquire.remote("numpy"))
    assert ray.get_actor("qray/simulators/numpy", namespace=NAMESPACE) is not None
    b = ray.get(pool.acquire.remote("stim"))
    # both CPUs held by busy actors: no room for a third
    assert ray.get(pool.acquire.remote("cirq")) is None
    ray.get(pool.release.remote("stim"))
    c = ray.get(pool.acquire.remote("cirq"))  # evicts idle stim
    assert c is not None
    assert ray.get(pool.get_stats.remote())["evicted"] == 1
    pid = ray.get(a.info.remote())["pid"]
    out = ray.get(a.run_batch.remote([_spec(i) for i in range(3)]))
    assert out["recycle"] and "max_tasks=3" in out["recycle"]
    ray.get(pool.release.remote("numpy", out["recycle"]))
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            info = ray.get(a.info.remote(), timeout=30)
        except Exception:
            time.sleep(0.2)
            continue
        if info["pid"] != pid:
            break
        time.sleep(0.2)
    assert info["pid"] != pid and info["tasks_done"] == 0
    assert ray.get(pool.get_stats.remote())["recycled"] == 1
    ray.get(pool.release.remote("cirq"))
    ray.get(pool.shutdown.remote())
    ray.kill(pool)
    del b


def test_soak_500_runs_rss_bounded(ray_session) -> None:
    """500 runs through one actor that recycles every 100 tasks: RSS stays bounded."""
    ray = ray_session
    actor = WorkerActor.options(num_cpus=1, max_restarts=20, max_task_retries=2).remote(
        WORKER, actor_name="soak",
        worker_kwargs={"backend": "qiskit-aer", "threads": 1, "max_tasks": 100})
    curve, pids = [], set()
    for batch in range(25):
        out = ray.get(actor.run_batch.remote([_spec(batch * 20 + i, "qiskit-aer", 8)
                                              for i in range(20)]))
        info = ray.get(actor.info.remote())
        curve.append(round(info["rss_mb"]))
        pids.add(info["pid"])
        if out["recycle"]:
            ray.kill(actor, no_restart=False)
    print("RSS curve (MiB per 20 runs):", curve)
    assert len(pids) >= 5
    assert max(curve) < 2 * min(curve) + 100
