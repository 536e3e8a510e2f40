"""Train the learned qubit routers (RLlib PPO with action masking, through Tune; one per
coupling map), export them as inference-only policies and compare them with SABRE-1,
SABRE-20 and the lookahead baseline on held-out, verified benchmark circuits.

    python jobs/train_router.py                                  # jobs/conf/routing.yaml
    python jobs/train_router.py maps=[grid-5x5] timesteps=30000
    ray job submit --working-dir . -- python jobs/train_router.py

Writes under ``<output_dir>/<sweep_id>/``: ``tune/PPO/`` (Tune trials and their RLlib
checkpoints), ``policies/<map>/`` (exported policy.pt + policy.json, ``trained.json``),
``training/`` (learning curves as Parquet rows, ``curves.png``), ``eval/`` (the ``routing``
sweep: one row per router and circuit, ``summary.md``) and ``training.md``. A rerun skips
exported maps and resumes the evaluation.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from qray.config import load_config
from qray.errors import QrayError

CONFIG = Path(__file__).resolve().parent / "conf" / "routing.yaml"
log = logging.getLogger("qray.train_router")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(CONFIG), help="YAML config (workload routing_train)")
    parser.add_argument("overrides", nargs="*", help="key=value config overrides")
    args = parser.parse_intermixed_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("qiskit", "qiskit_ibm_runtime"):  # per-pass timings, job submissions
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from qray.routing.train_config import RouterTrainConfig

    try:
        cfg = load_config(args.config, args.overrides)
        if not isinstance(cfg, RouterTrainConfig):
            raise QrayError(f"{args.config} is a '{cfg.workload}' config; "
                            "jobs/train_router.py needs workload: routing_train")
        from actors.routing_pipeline import run_training

        report = run_training(cfg)
    except QrayError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write("\n" + report.markdown + "\n")
    sys.stdout.write(f"training and evaluation in {report.sweep_dir}\n")
    return 0 if report.complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
