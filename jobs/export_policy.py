"""Export an RLlib checkpoint of a cloud scheduler as an inference-only policy.

    python jobs/export_policy.py CHECKPOINT OUT [--config jobs/conf/cloud.yaml] [key=value ...]

``OUT`` gets ``policy.pt`` (TorchScript: observations -> one score per node) and
``policy.json`` (the observation preprocessing). Load it with
``qray.cloud.policy.load(OUT)``: torch and numpy only, no Ray, no Gymnasium. The export
checks that its greedy actions equal RLlib's ``forward_inference`` on 1,000 recorded
observations. The observation's settings come from the env the checkpoint's Tune trial
trained on; ``env.*`` overrides (or ``--config``'s env, for a checkpoint outside a trial
folder) must agree with it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from actors.cli import main as qray


def main(argv: list[str] | None = None) -> int:
    """``qray export`` under this script's name and help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return qray(["export", *argv], prog=Path(__file__).name, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
