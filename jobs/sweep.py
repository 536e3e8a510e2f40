"""Run (or resume) a sweep.

    python jobs/sweep.py                                   # default simulator sweep
    python jobs/sweep.py --config jobs/conf/ghz_scaling.yaml n_qubits=[4,8,12]
    ray job submit --working-dir . -- python jobs/sweep.py --config ...

Rerunning the same command resumes the same sweep (its id comes from the config) and does
no work once every task has a row. ``--rerun-failed`` retries rows with status error or
timeout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from actors.cli import main as qray


def main(argv: list[str] | None = None) -> int:
    """``qray sweep`` under this script's name and help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return qray(["sweep", *argv], prog=Path(__file__).name, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
