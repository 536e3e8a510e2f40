"""Train the learned cloud schedulers (RLlib DQN and PPO through Tune), export them as
inference-only policies and evaluate them against every heuristic on held-out episodes.

    python jobs/train_scheduler.py                               # jobs/conf/cloud.yaml
    python jobs/train_scheduler.py algorithms=[DQN] timesteps.DQN=20000
    ray job submit --working-dir . -- python jobs/train_scheduler.py

Writes under ``<output_dir>/<sweep_id>/``: ``tune/<ALGO>/`` (Tune trials and their RLlib
checkpoints), ``policies/<ALGO>/`` (the exported best trial: policy.pt + policy.json),
``training/`` (learning curves as Parquet rows, ``curves.png``), ``eval/`` (the ``cloud``
sweep: one row per scheduler and episode, ``summary.md``) and ``training.md``. A rerun
skips algorithms whose policy is exported and resumes the evaluation.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from qray.config import load_config
from qray.errors import QrayError

CONFIG = Path(__file__).resolve().parent / "conf" / "cloud.yaml"
log = logging.getLogger("qray.train_scheduler")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(CONFIG), help="YAML config (workload cloud_train)")
    parser.add_argument("overrides", nargs="*", help="key=value config overrides")
    args = parser.parse_intermixed_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("qiskit", "qiskit_ibm_runtime"):  # per-pass timings, job submissions
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from qray.cloud.train_config import CloudTrainConfig

    try:
        cfg = load_config(args.config, args.overrides)
        if not isinstance(cfg, CloudTrainConfig):
            raise QrayError(f"{args.config} is a '{cfg.workload}' config; "
                            "jobs/train_scheduler.py needs workload: cloud_train")
        from actors.cloud_pipeline import run_training

        report = run_training(cfg)
    except QrayError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write("\n" + report.markdown + "\n")
    sys.stdout.write(f"training and evaluation in {report.sweep_dir}\n")
    return 0 if report.complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
