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

import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from actors.cli import main as qray


def main(argv: list[str] | None = None) -> int:
    """``qray train`` under this script's name and help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return qray(["train", *argv], prog=Path(__file__).name, description=__doc__,
                default_config="routing")


if __name__ == "__main__":
    raise SystemExit(main())
