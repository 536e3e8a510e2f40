"""Runtime benchmark: what the actor runtime costs and what it buys, measured side by side.

    python jobs/bench_runtime.py               # all sections (about 15 minutes on 2 cores)
    python jobs/bench_runtime.py --quick       # smaller counts
    python jobs/bench_runtime.py --sections e --backends qiskit-aer,cirq --sizes 20,22,24,26

(a) per-run overhead of the actor path vs calling the same backend in-process, 200 small
    circuits, one call per run and batched;
(b) long-lived actors vs a fresh process per run (the seed's ProcessPoolExecutor pattern,
    which pays the library import every run);
(c) a 2-worker sweep (Tune + 2 actors) vs the sequential in-process loop on the same tasks;
(d) a 500-run soak through one recycling actor: the RSS curve;
(e) large runs (QFT and random depth-20 circuits, n = 20, 22, 24, 1000 shots, 1 thread):
    one task through a long-lived actor, timed on the driver around the call, next to the
    same circuit built and sampled with the library's own API in the driver, no qray code
    on the timed path; interleaved repeats, medians, and the goal "qray adds <= 5 % at
    n >= 22". cirq is left out of the default backends (``--backends`` adds it): its
    unfused statevector takes 40 s a run at n=24 on one core, which would double the time.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import logging
import math
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import _bootstrap  # noqa: F401

from qray import benchdoc
from qray.benchdoc import write_section

log = logging.getLogger("qray.bench")

#: the simulators' plain worker, held by the generic actor shell
SIM_WORKER = "qray.simulators.worker:SimulatorWorker"


def spec(i: int, backend: str, *, circuit: str = "ghz", n: int = 4, depth: int = 0,
         shots: int = 100, timeout_s: float = 300) -> dict:
    """A task spec as the actors receive it."""
    return {"task_id": f"bench-{backend}-{i}", "point_id": "bench", "sweep_id": "bench",
            "seed": i, "timeout_s": timeout_s,
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


# (e): each library's own API, called in the driver with no qray code on the timed path.
# A runner builds the native circuit (and simulator) from a plain gate list made before the
# clock starts, then samples it; 1 thread and the same method as qray's backend.

#: a circuit as plain data: (gate name, qubits, angles), the names of qray's IR
GateList = list[tuple[str, tuple[int, ...], tuple[float, ...]]]


def _aer_build(gates: GateList, n: int, seed: int) -> tuple[Any, Any, int]:
    from qiskit import QuantumCircuit
    from qiskit_aer import AerSimulator

    qc = QuantumCircuit(n, n)
    for name, qubits, params in gates:  # qiskit's method names are the IR's gate names
        getattr(qc, name)(*params, *qubits)
    qc.measure(range(n), range(n))
    return AerSimulator(method="statevector", max_parallel_threads=1), qc, seed


def _aer_run(built: tuple[Any, Any, int], shots: int) -> Any:
    sim, qc, seed = built
    return sim.run(qc, shots=shots, seed_simulator=seed).result().get_counts()


def _cirq_circuit(gates: GateList, n: int) -> Any:
    import cirq

    q = cirq.LineQubit.range(n)
    fixed = {"h": cirq.H, "x": cirq.X, "y": cirq.Y, "z": cirq.Z, "s": cirq.S, "sdg": cirq.S**-1,
             "t": cirq.T, "cx": cirq.CNOT, "cz": cirq.CZ, "swap": cirq.SWAP}
    angled = {"rx": cirq.rx, "ry": cirq.ry, "rz": cirq.rz,
              "cp": lambda theta: cirq.CZPowGate(exponent=theta / math.pi)}
    ops = [(angled[name](*params) if name in angled else fixed[name]).on(*(q[i] for i in qubits))
           for name, qubits, params in gates]
    return cirq.Circuit([*ops, cirq.measure(*q, key="m")])


def _cirq_build(gates: GateList, n: int, seed: int) -> tuple[Any, Any]:
    import cirq

    return cirq.Simulator(seed=seed), _cirq_circuit(gates, n)


def _qsim_build(gates: GateList, n: int, seed: int) -> tuple[Any, Any]:
    import qsimcirq

    options = qsimcirq.QSimOptions(cpu_threads=1, max_fused_gate_size=3)
    return qsimcirq.QSimSimulator(qsim_options=options, seed=seed), _cirq_circuit(gates, n)


def _sampler_run(built: tuple[Any, Any], shots: int) -> Any:
    sim, circuit = built
    return sim.run(circuit, repetitions=shots)


def _lightning_build(gates: GateList, n: int, seed: int) -> Any:
    import pennylane as qml

    ops = {"h": qml.Hadamard, "x": qml.PauliX, "y": qml.PauliY, "z": qml.PauliZ, "s": qml.S,
           "sdg": lambda wires: qml.adjoint(qml.S(wires=wires)), "t": qml.T, "cx": qml.CNOT,
           "cz": qml.CZ, "swap": qml.SWAP, "rx": qml.RX, "ry": qml.RY, "rz": qml.RZ,
           "cp": qml.ControlledPhaseShift}
    dev = qml.device("lightning.qubit", wires=n, seed=seed)  # threads: OMP_NUM_THREADS=1

    @qml.qnode(dev)
    def circuit() -> Any:
        for name, qubits, params in gates:
            ops[name](*params, wires=list(qubits))
        return qml.sample(wires=range(n))

    return circuit


def _lightning_run(built: Any, shots: int) -> Any:
    import pennylane as qml

    return qml.set_shots(built, shots=shots)()


#: backend -> (build from a gate list, sample ``shots``): the direct side of section (e)
NATIVE: dict[str, tuple[Callable[[GateList, int, int], Any], Callable[[Any, int], Any]]] = {
    "qiskit-aer": (_aer_build, _aer_run),
    "qsim": (_qsim_build, _sampler_run),
    "cirq": (_cirq_build, _sampler_run),
    "pennylane-lightning-qubit": (_lightning_build, _lightning_run),
}
#: section (e)'s defaults (cirq joins through --backends: see the module docstring)
LARGE_BACKENDS = ("qiskit-aer", "qsim", "pennylane-lightning-qubit")
LARGE_SIZES = (20, 22, 24)
LARGE_CIRCUITS = ("qft", "random")
LARGE_DEPTH = 20
LARGE_SHOTS = 1000
#: the goal (e) checks: qray adds at most this fraction to a run at n >= GOAL_MIN_QUBITS
GOAL_OVERHEAD = 0.05
GOAL_MIN_QUBITS = 22


def _direct_once(backend: str, gates: GateList, n: int, seed: int) -> tuple[float, ...]:
    """(end to end, build, run) seconds of one run with the library's own API."""
    build, run = NATIVE[backend]
    t0 = time.perf_counter()
    built = build(gates, n, seed)
    t1 = time.perf_counter()
    run(built, LARGE_SHOTS)
    t2 = time.perf_counter()
    return t2 - t0, t1 - t0, t2 - t1


def _qray_once(ray, actor, s: dict) -> tuple[float, ...]:  # noqa: ANN001
    """(end to end on the driver, the row's build_s, its run_s) of one task via the actor."""
    t0 = time.perf_counter()
    res = ray.get(actor.run_batch.remote([s]))
    e2e = time.perf_counter() - t0
    row = res["rows"][0]
    if row["status"] != "ok":
        raise RuntimeError(f"qray row {row['status']}: {row.get('error')}")
    return e2e, row["build_s"], row["run_s"]


def _match_niceness(ray, actor) -> int:  # noqa: ANN001
    """Run the direct side at the actor's niceness: Ray starts its workers at a lower
    priority (niceness 15) than the driver (0), which on a machine with other load would
    favour the direct side. Returns the niceness both sides run at."""
    target = ray.get(actor.__ray_call__.remote(lambda self: os.nice(0)))
    here = os.nice(0)
    if target > here:
        os.nice(target - here)
    return os.nice(0)


def _median(runs: list[tuple[float, ...]], k: int) -> float:
    return statistics.median(r[k] for r in runs)


def section_e(ray, *, backends: list[str], sizes: list[int], repeats: int,  # noqa: ANN001
              memory_budget_mb: float) -> list[str]:
    from actors.runtime.worker_actor import WorkerActor
    from qray.circuits.families import DEPTH_FAMILIES, make_circuit
    from qray.circuits.noise import NoiseSpec
    from qray.errors import MemoryGuardError
    from qray.simulators.guards import check_memory
    from qray.simulators.registry import get_backend

    lines = [f"(e) large runs: QFT and random depth {LARGE_DEPTH}, {LARGE_SHOTS} shots, 1 thread; "
             f"medians of {repeats} interleaved runs each after a warm-up (s/run); both "
             "sides at the actor's niceness",
             f"    {'backend':26} {'circuit':7} {'n':>3}  {'qray e2e':>9} {'build':>7} "
             f"{'run':>8}  {'direct e2e':>10} {'build':>7} {'run':>8}  {'qray/direct':>11} "
             f"{'qray adds':>10}"]
    from actors.runtime.progress import StepProgress

    worst: tuple[float, str] | None = None
    progress = StepProgress("(e) points", len(backends) * len(LARGE_CIRCUITS) * len(sizes))
    for backend in backends:
        impl = get_backend(backend, key="--backends")
        reason = impl.unavailable_reason()
        if reason is None and backend not in NATIVE:
            reason = "no direct runner in this benchmark (" + ", ".join(NATIVE) + ")"
        if reason is not None:
            log.warning("(e) skipping %s: %s", backend, reason)
            lines.append(f"    {backend:26} skipped: {reason}")
            progress.advance(len(LARGE_CIRCUITS) * len(sizes), note=f"{backend} skipped")
            continue
        runnable = []
        for n in sizes:  # the memory guard first, as a sweep's plan does
            try:
                check_memory(impl, n, NoiseSpec(), memory_budget_mb)
            except MemoryGuardError as exc:
                log.warning("(e) skipping %s at n=%d: %s", backend, n, exc)
                lines.append(f"    {backend:26} n={n} refused: {exc}")
                progress.advance(len(LARGE_CIRCUITS), note=f"{backend} n={n} refused")
                continue
            runnable.append(n)
        if not runnable:
            continue
        actor = WorkerActor.options(num_cpus=1).remote(
            SIM_WORKER, actor_name="bench-large",
            worker_kwargs={"backend": backend, "threads": 1, "exact_max_qubits": 0,
                           "memory_budget_mb": memory_budget_mb})
        info = ray.get(actor.info.remote())
        log.info("(e) %s actor: %s, env %s", backend, info["thread_settings"],
                 info["env_threads"])
        _match_niceness(ray, actor)
        try:
            for circuit in LARGE_CIRCUITS:
                depth = LARGE_DEPTH if circuit in DEPTH_FAMILIES else 0
                for n in runnable:
                    # a warm-up pair before a circuit's first size (imports, first calls;
                    # every run allocates its statevector afresh), then qray, direct, ...
                    warm = 1 if n == runnable[0] else 0
                    specs = [spec(i, backend, circuit=circuit, n=n, depth=depth,
                                  shots=LARGE_SHOTS, timeout_s=3600)
                             for i in range(warm + repeats)]
                    made = make_circuit(circuit, n, depth=depth,
                                        seed=specs[0]["params"]["circuit_seed"])
                    gates = [(g.name, g.qubits, g.params) for g in made.gates]
                    qray_runs, direct_runs = [], []
                    try:
                        for s in specs:
                            qray_runs.append(_qray_once(ray, actor, s))
                            direct_runs.append(_direct_once(backend, gates, n, s["seed"]))
                    except RuntimeError as exc:
                        log.warning("(e) %s %s n=%d: %s", backend, circuit, n, exc)
                        lines.append(f"    {backend:26} {circuit:7} {n:3d}  failed: {exc}")
                        progress.advance(note=f"{backend} {circuit} n={n} failed")
                        continue
                    progress.advance(note=f"{backend} {circuit} n={n}")
                    del qray_runs[:warm], direct_runs[:warm]
                    qe, de = _median(qray_runs, 0), _median(direct_runs, 0)
                    ratio = qe / de
                    lines.append(
                        f"    {backend:26} {circuit:7} {n:3d}  {qe:9.3f} "
                        f"{_median(qray_runs, 1):7.3f} {_median(qray_runs, 2):8.3f}  "
                        f"{de:10.3f} {_median(direct_runs, 1):7.3f} "
                        f"{_median(direct_runs, 2):8.3f}  {ratio:10.3f}x {100 * (ratio - 1):+9.1f}%")
                    if n >= GOAL_MIN_QUBITS and (worst is None or ratio > worst[0]):
                        worst = (ratio, f"{backend} {circuit} n={n}")
        finally:
            ray.kill(actor)
    goal = f"qray adds <= {GOAL_OVERHEAD:.0%} at n >= {GOAL_MIN_QUBITS}"
    if worst is None:
        lines.append(f"    no runs at n >= {GOAL_MIN_QUBITS}: goal \"{goal}\" not checked")
    else:
        ratio, where = worst
        verdict = "met" if ratio <= 1 + GOAL_OVERHEAD else "NOT met"
        lines.append(f"    worst ratio at n >= {GOAL_MIN_QUBITS}: {ratio:.3f}x ({where}), qray adds "
                     f"{100 * (ratio - 1):+.1f}%; goal \"{goal}\": {verdict}")
    return lines


def _csv(cast: Callable[[str], Any]) -> Callable[[str], list]:
    """An argparse type: a comma-separated list of ``cast`` values."""
    return lambda text: [cast(v) for v in text.split(",") if v.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smaller counts; (e): n=20 only, 2 runs each")
    parser.add_argument("--sections", default="abcde", help="the sections to run, e.g. ae")
    parser.add_argument("--backends", type=_csv(str), default=list(LARGE_BACKENDS),
                        help="(e): comma-separated backends (default: %(default)s)")
    parser.add_argument("--sizes", type=_csv(int), default=None,
                        help="(e): comma-separated qubit counts (default: 20,22,24; "
                             "the memory guard refuses what does not fit)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="(e): timed runs of each side per point (default: 3, --quick 2)")
    parser.add_argument("--memory-budget-mb", type=float, default=8192.0,
                        help="(e): the memory guard's per-run budget (default: %(default)g)")
    benchdoc.add_arguments(parser)
    args = parser.parse_args(argv)
    unknown = sorted(set(args.sections) - set("abcde"))
    if unknown:
        parser.error(f"--sections: unknown section(s) {''.join(unknown)!r}; choose from abcde")
    if args.repeats is not None and args.repeats < 1:
        parser.error(f"--repeats: {args.repeats}; at least 1")
    if "e" in args.sections:
        # (e)'s direct lightning.qubit runs in this process, and OpenMP reads the variable
        # once, at start-up: set before any simulator library loads (the actors get 1
        # from Ray, which sets it to their num_cpus)
        os.environ["OMP_NUM_THREADS"] = "1"
    from qray.errors import QrayError
    from qray.simulators.registry import get_backend

    try:
        for name in args.backends:
            get_backend(name, key="--backends")
    except QrayError as exc:
        parser.error(str(exc))
    logging.basicConfig(level=logging.WARNING)
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    import ray

    from actors.runtime.connect import REPO_ROOT
    from actors.runtime.progress import StepProgress

    lines = [f"qray runtime benchmark ({os.cpu_count()} CPUs, python {sys.version.split()[0]})"]
    done: dict[str, list[str]] = {}
    sections = StepProgress("sections", len(set(args.sections)), interval_s=0)
    if set(args.sections) & set("abde"):
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 runtime_env={"env_vars": {"PYTHONPATH": str(REPO_ROOT)}})
        if "a" in args.sections:
            done["a"] = section_a(ray, "qiskit-aer", 200)
            sections.advance(note="(a) done")
        if "b" in args.sections:
            done["b"] = section_b(ray, ["qiskit-aer", "cirq", "pennylane-default-qubit"],
                                  5 if args.quick else 20)
            sections.advance(note="(b) done")
        if "d" in args.sections:
            done["d"] = section_d(ray, 100 if args.quick else 500, 100)
            sections.advance(note="(d) done")
        if "e" in args.sections:
            sizes = args.sizes or ([20] if args.quick else list(LARGE_SIZES))
            repeats = args.repeats or (2 if args.quick else 3)
            done["e"] = section_e(ray, backends=args.backends, sizes=sizes, repeats=repeats,
                                  memory_budget_mb=args.memory_budget_mb)
            sections.advance(note="(e) done")
        ray.shutdown()
    if "c" in args.sections:
        done["c"] = section_c(args.quick)
        sections.advance(note="(c) done")
    for letter in sorted(done):
        lines += done[letter]
    sys.stdout.write("\n".join(lines) + "\n")
    if not args.no_doc:
        for letter in sorted(done):
            title, text = EXPLAIN[letter]
            body = "```text\n" + "\n".join(done[letter]) + "\n```\n\n" + text
            write_section(f"runtime-{letter}", title, body, script="bench_runtime.py",
                          argv=argv, libraries=LIBRARIES[letter], path=args.doc)
        log.warning("figures written to %s", args.doc)
    return 0


#: what each section's figures mean, written under them in the benchmarks file
EXPLAIN: dict[str, tuple[str, str]] = {
    "a": ("Runtime (a): per-run overhead of the actor path",
          "The same small circuits through a long-lived actor, one call per run and in "
          "batches of 16, against calling the backend in this process. A Ray actor call "
          "costs milliseconds, so qray sends tasks in batches (`actor.batch_size`, default "
          "16), which brings the actor path to the in-process cost."),
    "b": ("Runtime (b): long-lived actors vs a fresh process per run",
          "A fresh process per run (a `ProcessPoolExecutor` of one worker per run) pays the "
          "interpreter start and the library import every run; an actor pays them once, at "
          "start-up (shown in brackets, outside the per-run figure)."),
    "c": ("Runtime (c): a 2-worker sweep vs the sequential loop",
          "The same tasks as a sequential in-process loop and as a 2-worker sweep (Tune + 2 "
          "actors), end to end. The fixed cost is the same sweep shape on trivial circuits: "
          "Ray, the actors and Tune starting. The statevector passes share the machine's "
          "memory bandwidth, so two workers stay below 2x on two cores."),
    "d": ("Runtime (d): soak through one recycling actor",
          "The actor's RSS after every 25 runs while its process is recycled every 100 "
          "tasks (`actor.max_tasks`): flat means no leak survives a recycle."),
    "e": ("Runtime (e): large runs, qray vs each library's own API",
          "One task at a time through a long-lived actor, timed on the driver around the "
          "call, next to the same circuit built and sampled with the library's own API in "
          "the driver (no qray code on the timed path). Both sides run at the actor's "
          "niceness (Ray starts workers at niceness 15). Goal: qray adds at most 5 % at "
          "n >= 22. The actor's dispatch (end to end minus run) is milliseconds; the rest "
          "of a difference is inside the library's run, within the run-to-run spread."),
}

#: the distributions whose versions each section's figures depend on
LIBRARIES: dict[str, tuple[str, ...]] = {
    "a": ("qiskit-aer",),
    "b": ("qiskit-aer", "cirq-core", "pennylane"),
    "c": ("qiskit-aer", "cirq-core"),
    "d": ("qiskit-aer",),
    "e": ("qiskit-aer", "qsimcirq", "cirq-core", "pennylane-lightning"),
}


if __name__ == "__main__":
    raise SystemExit(main())
