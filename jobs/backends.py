"""List simulator backends (and why unavailable ones are) and the workloads:
``python jobs/backends.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from actors.cli import main as qray


def main(argv: list[str] | None = None) -> int:
    """``qray backends`` under this script's name and help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return qray(["backends", *argv], prog=Path(__file__).name, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
