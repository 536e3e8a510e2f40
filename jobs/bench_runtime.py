"""Runtime benchmark: what the actor runtime costs and what it buys, measured side by side.

    python jobs/bench_runtime.py            # all sections (a few minutes on 2 cores)
    python jobs/bench_runtime.py --quick    # smaller counts

(a) per-run overhead of the actor path vs calling the same backend in-process, 200 small
    circuits, one call per run and batched;
(b) long-lived actors vs a fresh process per run (the seed's ProcessPoolExecutor pattern,
    which pays the library import every run);
(c) a 2-worker sweep (Tune + 2 actors) vs the sequential in-process loop on the same tasks;
(d) a 500-run soak through one recycling actor: the RSS curve.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import logging
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time

import _bootstrap  # noqa: F401

log = logging.getLogger("qray.bench")

#: the simulators' plain worker, held by the generic actor shell
SIM_WORKER = "qray.simulators.worker:SimulatorWorker"


def spec(i: int, backend: str, *, circuit: str = "ghz", n: int = 4, depth: int = 0,
         shots: int = 100) -> dict:
    """A task spec as the actors receive it."""
    return {"task_id": f"bench-{backend}-{i}", "point_id": "bench", "sweep_id": "bench",
            "seed": i, "timeout_s": 300,
            "params": {"backend": backend, "circuit": circuit, "n_qubits": n, "depth": depth,
                       "noise": 0.0, "noise_2q": None, "readout_error": 0.0, "shots": shots,
                       "circuit_seed": 7, "repetition": 1}}


def _one_fresh_process(s: dict) -> float:
    """Child of the fresh-process baseline: import, build the worker, run one task."""
    t0 = time.perf_counter()
    from qray.simulators.worker import SimulatorWorker

    SimulatorWorker(s["params"]["backend"], exact_max_qubits=0).run_task(s)
    return time.perf_counter() - t0


def section_a(ray, backend: str, n_runs: int) -> list[str]:
    from actors.runtime.worker_actor import WorkerActor
    from qray.simulators.worker import SimulatorWorker

    specs = [spec(i, backend) for i in range(n_runs)]
    worker = SimulatorWorker(backend, exact_max_qubits=0)
    worker.warmup()
    t0 = time.perf_counter()
    for s in specs:
        worker.run_task(s)
    inproc = (time.perf_counter() - t0) / n_runs
    actor = WorkerActor.options(num_cpus=1).remote(
        SIM_WORKER, actor_name="bench",
        worker_kwargs={"backend": backend, "threads": 1, "exact_max_qubits": 0})
    ray.get(actor.info.remote())
    t0 = time.perf_counter()
    for s in specs:
        ray.get(actor.run_batch.remote([s]))
    sync = (time.perf_counter() - t0) / n_runs
    t0 = time.perf_counter()
    ray.get([actor.run_batch.remote(specs[i:i + 16]) for i in range(0, n_runs, 16)])
    batched = (time.perf_counter() - t0) / n_runs
    ray.kill(actor)
    return [
        f"(a) per-run time, {n_runs} GHZ-4 runs on {backend} (100 shots):",
        f"    in-process            {inproc * 1e3:8.3f} ms/run   1.00x",
        f"    actor, 1 call per run {sync * 1e3:8.3f} ms/run   {sync / inproc:5.2f}x  "
        f"(+{(sync - inproc) * 1e3:.3f} ms overhead)",
        f"    actor, batches of 16  {batched * 1e3:8.3f} ms/run   {batched / inproc:5.2f}x  "
        f"(+{(batched - inproc) * 1e3:.3f} ms overhead)",
    ]


def section_b(ray, backends: list[str], n_runs: int) -> list[str]:
    from actors.runtime.worker_actor import WorkerActor

    lines = [f"(b) long-lived actor vs a fresh process per run ({n_runs} GHZ-4 runs each):"]
    ctx = mp.get_context("spawn")
    for backend in backends:
        specs = [spec(i, backend) for i in range(n_runs)]
        t0 = time.perf_counter()
        for s in specs:  # the seed's pattern: a new process per run pays the imports
            with cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
                pool.submit(_one_fresh_process, s).result()
        fresh = (time.perf_counter() - t0) / n_runs
        t_create = time.perf_counter()
        actor = WorkerActor.options(num_cpus=1).remote(
            SIM_WORKER, actor_name="bench",
            worker_kwargs={"backend": backend, "threads": 1, "exact_max_qubits": 0})
        ray.get(actor.info.remote())
        startup = time.perf_counter() - t_create
        t0 = time.perf_counter()
        for s in specs:
            ray.get(actor.run_batch.remote([s]))
        warm = (time.perf_counter() - t0) / n_runs
        ray.kill(actor)
        lines.append(f"    {backend:26} fresh process {fresh:7.3f} s/run   actor {warm * 1e3:7.2f} "
                     f"ms/run   ratio {fresh / warm:7.0f}x   (actor start-up {startup:.2f} s, once)")
    return lines


def section_c(quick: bool) -> list[str]:
    import actors
    from qray.config import load_config
    from qray.simulators.worker import SimulatorWorker
    from qray.simulators.workload import plan, task_specs

    n, stop = (16, 40) if quick else (18, 120)
    common = ["backends=[qiskit-aer,cirq]", "circuits=[random]", "repetitions=2", "warmup=0",
              "exact_max_qubits=0", "summarize=false", "ray.include_dashboard=false",
              "ray.num_cpus=2", "max_parallel=2", "actor.batch_size=1"]
    over = [*common, f"output_dir={tempfile.mkdtemp(prefix='qray-bench-')}", f"n_qubits=[{n}]",
            f"depth={{start: 10, stop: {stop}, step: 10}}"]
    cfg = load_config(None, over, default_path=actors.runtime.driver.DEFAULT_CONFIG)
    p = plan(cfg)
    workers = {}
    t0 = time.perf_counter()
    for point in p.points:
        backend = point.params["backend"]
        if backend not in workers:
            workers[backend] = SimulatorWorker(backend, exact_max_qubits=0)
            workers[backend].warmup()
        for s in task_specs(point, cfg, "seq"):
            workers[backend].run_task(s)
    sequential = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = actors.sweep(cfg)
    parallel = time.perf_counter() - t0
    assert report.complete and report.run_tasks == p.n_tasks
    # the fixed cost (Ray start, actor start-up and imports, Tune start): the same sweep
    # shape on trivial circuits
    tiny = [*common, f"output_dir={tempfile.mkdtemp(prefix='qray-bench-')}", "n_qubits=[3]",
            "depth=[1,2]"]
    t0 = time.perf_counter()
    actors.sweep(load_config(None, tiny, default_path=actors.runtime.driver.DEFAULT_CONFIG))
    fixed = time.perf_counter() - t0
    return [
        f"(c) {p.n_tasks} runs (random circuits, n={n}, depths 10..{stop}, qiskit-aer + cirq, "
        "1 thread each):",
        f"    sequential in-process loop          {sequential:7.1f} s   1.00x",
        f"    2-worker sweep (Tune + 2 actors)    {parallel:7.1f} s   {sequential / parallel:5.2f}x"
        " end to end",
        f"    fixed cost of a sweep (Ray + actors + Tune start, trivial circuits) {fixed:.1f} s; "
        f"without it {sequential / max(parallel - fixed, 1e-9):.2f}x",
    ]


def section_d(ray, n_runs: int, max_tasks: int) -> list[str]:
    from actors.runtime.worker_actor import WorkerActor

    actor = WorkerActor.options(num_cpus=1, max_restarts=-1, max_task_retries=3).remote(
        SIM_WORKER, actor_name="soak",
        worker_kwargs={"backend": "qiskit-aer", "threads": 1, "max_tasks": max_tasks,
                       "exact_max_qubits": 0})
    curve, pids = [], []
    per_batch = 25
    for b in range(n_runs // per_batch):
        res = ray.get(actor.run_batch.remote(
            [spec(b * per_batch + i, "qiskit-aer", circuit="random", n=10, depth=5)
             for i in range(per_batch)]))
        info = ray.get(actor.info.remote())
        curve.append(round(info["rss_mb"]))
        if not pids or pids[-1] != info["pid"]:
            pids.append(info["pid"])
        if res["recycle"]:
            ray.kill(actor, no_restart=False)
            time.sleep(0.5)
    ray.kill(actor)
    return [f"(d) soak: {n_runs} runs through one actor (qiskit-aer, recycles every {max_tasks} "
            f"tasks): {len(pids)} processes",
            f"    RSS MiB after each {per_batch} runs: {curve}",
            f"    min {min(curve)}  max {max(curve)}  median {statistics.median(curve):.0f}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    parser.add_argument("--sections", default="abcd")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    import ray

    from actors.runtime.driver import REPO_ROOT

    lines = [f"qray runtime benchmark ({os.cpu_count()} CPUs, python {sys.version.split()[0]})"]
    if set(args.sections) & set("abd"):
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 runtime_env={"env_vars": {"PYTHONPATH": str(REPO_ROOT)}})
        if "a" in args.sections:
            lines += section_a(ray, "qiskit-aer", 200)
        if "b" in args.sections:
            lines += section_b(ray, ["qiskit-aer", "cirq", "pennylane-default-qubit"],
                               5 if args.quick else 20)
        if "d" in args.sections:
            lines += section_d(ray, 100 if args.quick else 500, 100)
        ray.shutdown()
    if "c" in args.sections:
        lines += section_c(args.quick)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
