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

import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from actors.cli import main as qray


def main(argv: list[str] | None = None) -> int:
    """``qray train`` under this script's name and help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return qray(["train", *argv], prog=Path(__file__).name, description=__doc__,
                default_config="cloud")


if __name__ == "__main__":
    raise SystemExit(main())
