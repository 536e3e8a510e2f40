"""Summarize a sweep folder: ``python jobs/summarize.py [results/<sweep_id>]``.

Writes summary.md, CSV tables and PNG plots beside the data and prints the summary.
Without an argument it summarizes ``results/latest``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from actors.cli import main as qray


def main(argv: list[str] | None = None) -> int:
    """``qray summarize`` under this script's name and help."""
    argv = list(sys.argv[1:] if argv is None else argv)
    return qray(["summarize", *argv], prog=Path(__file__).name, description=__doc__)


if __name__ == "__main__":
    raise SystemExit(main())
