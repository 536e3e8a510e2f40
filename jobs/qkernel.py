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
from sweep import main as sweep_main

CONFIG = Path(__file__).resolve().parent / "conf" / "qkernels.yaml"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(a == "--config" or a.startswith("--config=") for a in argv):
        argv = ["--config", str(CONFIG), *argv]
    return sweep_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
