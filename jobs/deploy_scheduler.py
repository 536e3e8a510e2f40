"""Run one episode's tasks through a scheduler and submit each circuit with
qiskit-ibm-runtime ``SamplerV2``.

    python jobs/deploy_scheduler.py --mode local                 # fake backends, offline
    python jobs/deploy_scheduler.py --mode local scheduler=FeasibleGreedy
    QISKIT_IBM_TOKEN=... python jobs/deploy_scheduler.py --mode ibm \
        ibm.backends.washington=ibm_brisbane ...                  # real backends

The learned scheduler is an exported policy (``scheduler=policy:<folder>``; by default the
newest ``results/*/policies/DQN`` written by ``jobs/train_scheduler.py``). Rows (predicted
vs measured execution and waiting, job ids, fidelity) land in
``<output_dir>/deploy/<mode>-<scheduler>-<episode>-<hash>.parquet`` (and one file per task
in the folder of that name, written as each job completes: a rerun resubmits nothing
that finished) with a sim-vs-run table beside them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from actors.cli import main as qray


def main(argv: list[str] | None = None) -> int:
    """``qray deploy`` under this script's name and help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return qray(["deploy", *argv], prog=Path(__file__).name, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
