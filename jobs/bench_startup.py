"""Start-up benchmark: a small sweep's fixed cost next to Ray's own floor, side by side.

    python jobs/bench_startup.py               # 3 rounds, alternating
    python jobs/bench_startup.py --rounds 5

Each round runs, in fresh processes and one after the other:

- **Ray's floor**: ``python -c`` importing Ray, ``ray.init(num_cpus=2)``, one remote
  task, ``ray.shutdown()`` (what any Ray program pays);
- **ci_small**: ``qray sweep --config ci_small`` (16 sub-millisecond tasks on two
  backends) end to end into a new folder: config, plan, Ray's start, the pool and its
  actors, the rows, the summary, Ray's shutdown;
- **ci_small, widened**: the same command with a third repetition per grid point, over
  the folder that has the other rows (the 8 new tasks run; the 16 rows are reused).

The table gives the median of the rounds and the ratio to the floor's median.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _bootstrap  # noqa: F401
from bench_scale import sweep_base

from qray import benchdoc

log = logging.getLogger("qray.bench")
REPO = Path(__file__).resolve().parents[1]
FLOOR = ("import ray; ray.init(num_cpus=2, include_dashboard=False, logging_level='WARNING'); "
         "ray.get(ray.remote(lambda: 1).remote()); ray.shutdown()")


def timed(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds of ``cmd`` run to completion (it must succeed)."""
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if res.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-3000:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    benchdoc.add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    env = dict(os.environ, RAY_AUTH_MODE=os.environ.get("RAY_AUTH_MODE", "disabled"),
               RAY_USAGE_STATS_ENABLED="0")
    env.pop("RAY_ADDRESS", None)
    times: dict[str, list[float]] = {"floor": [], "ci_small": [], "one_new": []}
    out = Path(tempfile.mkdtemp(prefix="qray-bench-startup-"))
    try:
        for i in range(args.rounds):
            times["floor"].append(timed([sys.executable, "-c", FLOOR], env))
            base = [*sweep_base(), "--config", "ci_small", f"output_dir={out / str(i)}",
                    "ray.num_cpus=2"]
            times["ci_small"].append(timed(base, env))
            times["one_new"].append(timed([*base, "repetitions=3"], env))
            log.info("round %d: floor %.1f s, ci_small %.1f s, one new task %.1f s", i + 1,
                     times["floor"][-1], times["ci_small"][-1], times["one_new"][-1])
    finally:
        shutil.rmtree(out, ignore_errors=True)
    body = INTRO + "\n\n" + table(times)
    print(table(times))
    if not args.no_doc:
        benchdoc.write_section("startup", "A small sweep's fixed cost", body,
                               script="bench_startup.py", argv=argv, path=args.doc)
    return 0


INTRO = ("Fresh processes, one after the other in each round, on an otherwise idle "
         "machine: Ray's own floor (import, `ray.init(num_cpus=2)`, one task, "
         "`ray.shutdown()`), `qray sweep --config ci_small` end to end into a new folder "
         "(16 sub-millisecond tasks; a sweep of at most 256 tasks runs its units in the "
         "driver's threads, `execution.runner: auto`), and the same sweep widened by one "
         "repetition per point over that folder (8 new tasks run, 16 rows kept). Medians "
         "over the rounds; the ratio is to the floor's median.")


def table(times: dict[str, list[float]]) -> str:
    floor = statistics.median(times["floor"])
    names = {"floor": "Ray's floor (import, init, one task, shutdown)",
             "ci_small": "`qray sweep --config ci_small`, end to end",
             "one_new": "the same, 8 more tasks over the finished folder"}
    lines = ["| run | median | rounds | ratio to Ray's floor |", "|---|---|---|---|"]
    for key, label in names.items():
        med = statistics.median(times[key])
        runs = ", ".join(f"{t:.1f}" for t in times[key])
        lines.append(f"| {label} | {med:.1f} s | {runs} | {med / floor:.2f}x |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
