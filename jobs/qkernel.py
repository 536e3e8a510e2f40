"""The quantum-kernel SVM pipeline (the ``qkernels`` workload).

    python jobs/qkernel.py                                  # jobs/conf/qkernels.yaml
    python jobs/qkernel.py qcnn.enabled=true layers=[2]     # with the hybrid QCNN features
    ray job submit --working-dir . -- python jobs/qkernel.py

The same as ``python jobs/sweep.py --config jobs/conf/qkernels.yaml``: resumable, one
Parquet row per grid point, a summary table at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from actors.cli import main as qray


def main(argv: list[str] | None = None) -> int:
    """``qray sweep`` under this script's name and help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return qray(["sweep", *argv], prog=Path(__file__).name, description=__doc__,
                default_config="qkernels")


if __name__ == "__main__":
    raise SystemExit(main())
