"""Scale benchmark: many trivial tasks through ``qray sweep`` next to the same tasks in a
plain in-process loop, in the same run.

    python jobs/bench_scale.py                        # 1k, 10k and 100k tasks
    python jobs/bench_scale.py --sizes 1000 10000     # smaller

The tasks are the ``scale`` preset's (numpy backend, GHZ-2, 10 shots; ``--set key=value``
changes them). For each size it reports:

- the in-process loop: the simulator worker called task after task in this process;
- ``qray sweep`` end to end (a fresh process: config, plan, embedded Ray start-up, Tune,
  the actors, Parquet, the summary, shutdown);
- tasks/s after start-up: rows over the span from the first row's ``created_at`` to the
  last one's, and the overhead per task over the loop's time per task in that span;
- bytes on disk per row, result files, Tune state left, the driver's peak RSS;
- a rerun of the same command with nothing left to do (it does not start Ray).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _bootstrap  # noqa: F401

from qray import benchdoc

log = logging.getLogger("qray.bench")
REPO = Path(__file__).resolve().parents[1]


def inprocess_loop(n: int, extra: list[str]) -> float:
    """Seconds of the same ``n`` tasks run one after another by the simulator worker in
    this process (rows built, nothing written)."""
    from qray.config import load_config
    from qray.presets import resolve
    from qray.simulators.worker import SimulatorWorker
    from qray.simulators.workload import plan, task_specs

    cfg = load_config(resolve("scale"), [f"repetitions={n}", *extra])
    specs = [s for p in plan(cfg).points for s in task_specs(p, cfg, "bench", None)]
    worker = SimulatorWorker(cfg.backends[0], exact_max_qubits=cfg.exact_max_qubits)
    worker.warmup()
    t0 = time.perf_counter()
    rows = worker.run_batch(specs)
    elapsed = time.perf_counter() - t0
    assert len(rows) == n and all(r["status"] == "ok" for r in rows)
    worker.close()
    return elapsed


def sweep_base() -> list[str]:
    """``qray sweep``: the console script of this interpreter's environment, else
    ``python jobs/sweep.py``."""
    qray = Path(sys.executable).with_name("qray")
    return [str(qray), "sweep"] if qray.exists() else [sys.executable, "jobs/sweep.py"]


def run_sweep_command(args: list[str]) -> dict:
    """``qray sweep ARGS`` in a fresh process (the console script of this interpreter's
    environment, else ``jobs/sweep.py``): its wall seconds, command and environment."""
    cmd = [*sweep_base(), *args, "ray.include_dashboard=false"]
    env = dict(os.environ, RAY_AUTH_MODE=os.environ.get("RAY_AUTH_MODE", "token"))
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if res.returncode:
        raise SystemExit(f"qray sweep failed ({res.returncode}):\n{res.stderr[-3000:]}")
    return {"wall_s": wall, "cmd": cmd, "env": env}


def qray_sweep(n: int, out: Path, extra: list[str]) -> dict:
    """Run ``qray sweep --config scale`` for ``n`` tasks in a fresh process; its figures."""
    return run_sweep_command(["--config", "scale", f"repetitions={n}", f"output_dir={out}",
                              f"sweep_id=scale-{n}", *extra])


def figures(n: int, out: Path, loop_s: float, run: dict) -> dict:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    sweep_dir = out / f"scale-{n}"
    folder = sweep_dir / "simulators"
    files = sorted(folder.glob("*.parquet"))
    table = pq.read_table(folder, columns=["task_id", "created_at"])
    assert table.num_rows == n and pc.count_distinct(table["task_id"]).as_py() == n
    span = (pc.max(table["created_at"]).as_py()
            - pc.min(table["created_at"]).as_py()).total_seconds()
    runs = [json.loads(line) for line in (sweep_dir / "runs.jsonl").read_text().splitlines()]
    tune_bytes = sum(p.stat().st_size for p in (sweep_dir / "_tune").rglob("*")
                     if p.is_file()) if (sweep_dir / "_tune").exists() else 0
    rate = n / span if span > 0 else float("inf")
    return {
        "tasks": n,
        "loop_s": loop_s,
        "loop_per_s": n / loop_s,
        "qray_s": run["wall_s"],
        "startup_s": run["wall_s"] - span,
        "rate": rate,
        "overhead_ms": max(0.0, (span - loop_s) / n * 1e3),
        "bytes_per_row": sum(p.stat().st_size for p in files) / n,
        "files": len(files),
        "tune_bytes": tune_bytes,
        "rss_mb": runs[0]["driver_peak_rss_mb"],
        "trials": runs[0]["trials"],
        "chunk": runs[0]["chunk_tasks"],
    }


def point_overrides(points: int, reps: int) -> list[str]:
    """The many-points case: ``points`` noise levels x ``reps`` repetitions of GHZ-2 (10
    shots, numpy) over the default ``simulators`` preset, every other key its default."""
    noise = ",".join(f"{i * 1e-5:.5f}" for i in range(points))
    return [f"noise=[{noise}]", "backends=[numpy]", "circuits=[ghz]", "n_qubits=[2]",
            "shots=10", f"repetitions={reps}"]


def points_case(points: int, reps: int, out: Path) -> dict:
    """The many-points sweep with the default config, next to the same tasks in an
    in-process loop (no warm-up runs, nothing written), in the same run."""
    from qray.config import load_config
    from qray.presets import resolve
    from qray.simulators.worker import SimulatorWorker
    from qray.simulators.workload import plan, task_specs

    over = point_overrides(points, reps)
    cfg = load_config(resolve("simulators"), over)
    specs = [s for p in plan(cfg).points for s in task_specs(p, cfg, "bench", None)]
    worker = SimulatorWorker("numpy", exact_max_qubits=cfg.exact_max_qubits)
    worker.warmup()
    t0 = time.perf_counter()
    rows = worker.run_batch(specs)
    loop_s = time.perf_counter() - t0
    assert len(rows) == points * reps and all(r["status"] == "ok" for r in rows)
    worker.close()
    sweep_s = run_sweep_command(["--config", "simulators", *over, f"output_dir={out}",
                                 "sweep_id=points"])["wall_s"]
    runs = [json.loads(line) for line in (out / "points" / "runs.jsonl").read_text()
            .splitlines()]
    return {"points": points, "reps": reps, "loop_s": loop_s, "qray_s": sweep_s,
            "trials": runs[-1]["trials"]}


def points_table(r: dict) -> str:
    return ("| grid points x repetitions | tasks | in-process loop | qray sweep, defaults, end "
            "to end | ratio | trials |\n|---|---|---|---|---|---|\n"
            f"| {r['points']:,} x {r['reps']} | {r['points'] * r['reps']:,} | "
            f"{r['loop_s']:.1f} s | {r['qray_s']:.1f} s | {r['qray_s'] / r['loop_s']:.2f}x | "
            f"{r['trials']} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--points", type=int, default=1000,
                        help="grid points of the many-points case (0: skip it)")
    parser.add_argument("--set", dest="extra", action="append", default=[],
                        metavar="KEY=VALUE", help="a config override for every run")
    parser.add_argument("--out", type=Path, help="results folder (default: a temp dir, removed)")
    benchdoc.add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out = args.out or Path(tempfile.mkdtemp(prefix="qray-bench-scale-"))
    rows = []
    try:
        for n in args.sizes:
            loop_s = inprocess_loop(n, args.extra)
            # an output folder per size: rows of one size are not reused by the next
            run = qray_sweep(n, out / f"size-{n}", args.extra)
            fig = figures(n, out / f"size-{n}", loop_s, run)
            t0 = time.perf_counter()
            again = subprocess.run(run["cmd"], cwd=REPO, env=run["env"], capture_output=True,
                                   text=True)
            fig["noop_s"] = time.perf_counter() - t0
            assert again.returncode == 0 and f"{n} already done, 0 run" in again.stdout, \
                again.stdout[-2000:] + again.stderr[-2000:]
            rows.append(fig)
            log.info("%d tasks: loop %.1f s, qray %.1f s end to end, %.0f tasks/s after "
                     "start-up, no-op rerun %.1f s", n, loop_s, fig["qray_s"], fig["rate"],
                     fig["noop_s"])
        many = points_case(args.points, 10, out / "points") if args.points else None
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    print(table(rows))
    body = INTRO + "\n\n" + table(rows) + "\n\n" + NOTES
    if many is not None:
        print(points_table(many))
        body += "\n\n" + POINTS_INTRO + "\n\n" + points_table(many)
    if not args.no_doc:
        benchdoc.write_section("scale", "Sweeps at scale: many trivial tasks", body,
                               script="bench_scale.py", argv=argv, path=args.doc)
        log.info("figures written to %s", args.doc)
    return 0


INTRO = ("Trivial tasks (the `scale` preset: numpy backend, GHZ-2, 10 shots, one grid point, "
         "`actor.max_tasks: 0`, `actor.batch_size: 256`) through `qray sweep` in a fresh "
         "process, next to the same tasks in a plain in-process loop; then the same command "
         "again with nothing left to do.")
NOTES = """\
- **Tasks/s after start-up** counts the rows over the span from the first row's
  `created_at` to the last one's; the loop's rate is in brackets.
- **Overhead per task** is that span minus the loop's time, divided by the tasks.
- **Start-up and shutdown** is everything outside that span: the interpreter, the plan, Ray
  and Tune starting, the actor's start-up, the last file, the summary and Ray's shutdown.
- **Files**: a chunk holds at most 1,000 tasks (`execution.chunk_tasks: auto`). The Tune
  state of a finished run is removed.
- **The no-op rerun** reads only the `task_id` and `status` columns and does not start Ray.
- An actor's process restart (every `actor.max_tasks` tasks; 200 in the `simulators`
  preset) costs about a second; for millisecond tasks that restart sets the pace, so this
  preset turns recycling off."""


POINTS_INTRO = ("**Many grid points, default config.** The same trivial task over 1,000 "
                "noise levels x 10 repetitions (GHZ-2, 10 shots, numpy) with every other key "
                "the `simulators` preset's default (one untimed warm-up run per point, "
                "recycling by memory growth, batches of 16), through `qray sweep` end to end, "
                "next to the same 10,000 tasks in an in-process loop in the same run.")


def table(rows: list[dict]) -> str:
    """The figures as a Markdown table."""
    head = ("| tasks | in-process loop | qray sweep, end to end | start-up and shutdown | tasks/s after "
            "start-up (loop) | overhead per task | bytes/row | files (trials x tasks) | Tune "
            "state left | driver peak RSS | no-op rerun |")
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        lines.append(
            f"| {r['tasks']:,} | {r['loop_s']:.1f} s | {r['qray_s']:.1f} s | "
            f"{r['startup_s']:.1f} s | {r['rate']:,.0f} ({r['loop_per_s']:,.0f}) | "
            f"{r['overhead_ms']:.2f} ms | {r['bytes_per_row']:.0f} | "
            f"{r['files']} ({r['trials']} x {r['chunk']}) | {r['tune_bytes']:,} B | "
            f"{r['rss_mb']:.0f} MB | {r['noop_s']:.1f} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
