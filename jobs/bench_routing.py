"""Routing-env benchmark: qray's ``Routing`` vs qgym's (PyPI ``qgym``), side by side in
one run, on the same 5x5 grid, the same generator settings and the same policies.

    make bench-routing                       # builds .venv-qgym (qgym only there), runs this
    python jobs/bench_routing.py --seconds 3 --qgym-python .venv-qgym/bin/python

qgym is never a dependency of qray: its env is timed in a subprocess of the benchmark
venv's Python (or in this process when ``import qgym`` works here). Variants:

- ``surpass-else-swap``: surpass when the env says the next gate is legal, else a
  uniformly random SWAP (an agent-like episode);
- ``random``: uniformly random actions.

with ``BasicInteractionGenerator(max_length=L, seed=0)`` (qgym's generator semantics: a
length uniform in 1..L, random pairs over all 25 qubits), L = 10 (qgym's default) and 50.
Prints env steps per second of each and the ratio qray / qgym.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("qray.bench_routing")
VARIANTS = [("surpass-else-swap", 10), ("random", 10), ("surpass-else-swap", 50),
            ("random", 50)]


def time_env(env: Any, legal: Callable[[Any], bool], policy: str, seconds: float,
             seed: int = 0) -> dict[str, float]:
    """Env steps per second of ``policy`` for ``seconds`` (episodes reset as they end)."""
    rng = np.random.default_rng(seed)
    n_act = int(env.action_space.n)
    surpass = n_act - 1
    obs, _ = env.reset(seed=seed)
    steps = episodes = 0
    t0 = time.perf_counter()
    end = t0 + seconds
    while time.perf_counter() < end:
        for _ in range(200):
            if policy == "random":
                a = int(rng.integers(n_act))
            else:
                a = surpass if legal(obs) else int(rng.integers(surpass))
            obs, _, term, trunc, _ = env.step(a)
            steps += 1
            if term or trunc:
                episodes += 1
                obs, _ = env.reset()
    dt = time.perf_counter() - t0
    return {"steps_per_s": steps / dt, "steps": steps, "episodes": episodes}


def run_qray(seconds: float) -> list[dict[str, Any]]:
    import _bootstrap  # noqa: F401

    from qray.routing import BasicInteractionGenerator, Routing

    out = []
    for policy, length in VARIANTS:
        env = Routing((5, 5), BasicInteractionGenerator(max_length=length, seed=0))
        r = time_env(env, lambda o: bool(o["is_legal_surpass"][0]), policy, seconds)
        out.append({"engine": "qray", "policy": policy, "max_length": length, **r})
    return out


def run_qgym(seconds: float) -> list[dict[str, Any]]:
    from qgym.envs.routing import Routing
    from qgym.generators import BasicInteractionGenerator

    out = []
    for policy, length in VARIANTS:
        env = Routing((5, 5), interaction_generator=BasicInteractionGenerator(
            max_length=length, seed=0))
        key = next(k for k in env.observation_space.spaces if k.startswith("is_legal_surpass"))
        r = time_env(env, lambda o, k=key: bool(o[k][0]), policy, seconds)
        out.append({"engine": "qgym", "policy": policy, "max_length": length, **r})
    return out


def qgym_results(seconds: float, python: str | None) -> tuple[list[dict[str, Any]], str]:
    try:
        import qgym

        return run_qgym(seconds), f"qgym {qgym.__version__} (this process)"
    except ImportError:
        pass
    if not python or not Path(python).exists():
        raise SystemExit("qgym is not installed here and no --qgym-python was found: run "
                         "`make bench-routing` (it builds .venv-qgym with qgym only there)")
    here = str(Path(__file__).resolve().parent)
    code = (f"import json, sys; sys.path.insert(0, {here!r}); import bench_routing as b, qgym; "
            f"print(json.dumps([qgym.__version__, b.run_qgym({seconds!r})]))")
    env = {**os.environ, "PYTHONPATH": ""}
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env,
                          check=True)
    version, rows = json.loads(proc.stdout.strip().splitlines()[-1])
    return rows, f"qgym {version} ({python})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="timing per variant")
    parser.add_argument("--qgym-python", default=str(Path(__file__).resolve().parents[1]
                                                     / ".venv-qgym" / "bin" / "python"))
    import _bootstrap  # noqa: F401

    from qray import benchdoc

    benchdoc.add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ours = run_qray(args.seconds)
    theirs, where = qgym_results(args.seconds, args.qgym_python)
    lines = [f"Routing env steps/s on the 5x5 grid, {args.seconds:.1f} s per variant; qgym: "
             f"{where}", "",
             "| policy | max_length | qray steps/s | qgym steps/s | qray / qgym |",
             "|---|---|---|---|---|"]
    for a, b in zip(ours, theirs, strict=True):
        lines.append(f"| {a['policy']} | {a['max_length']} | {a['steps_per_s']:,.0f} | "
                     f"{b['steps_per_s']:,.0f} | {a['steps_per_s'] / b['steps_per_s']:.1f}x |")
    log.info("\n".join(lines))
    if not args.no_doc:
        benchdoc.write_section(
            "routing", "routing: Routing env steps/s vs qgym's", "\n".join(lines) + "\n\n"
            + "`surpass-else-swap` surpasses when the next gate is legal, else takes a random "
            "SWAP; `random` takes uniformly random actions; generator "
            "`BasicInteractionGenerator(max_length=L, seed=0)`. qgym deep-copies its state "
            "every step, so its step cost grows with the episode; qray's step is a few array "
            "updates. Absolute rates move with the machine's load; the ratio is what the "
            "side-by-side run measures.", script="bench_routing.py", argv=argv,
            libraries=("numpy", "networkx"), path=args.doc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
