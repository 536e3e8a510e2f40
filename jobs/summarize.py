"""Summarize a sweep folder: ``python jobs/summarize.py [results/<sweep_id>]``.

Writes summary.md, CSV tables and PNG plots beside the data and prints the summary.
Without an argument it summarizes ``results/latest``.
"""

from __future__ import annotations

import argparse
import logging
import sys

import _bootstrap  # noqa: F401

from qray.errors import QrayError
from qray.summary import summarize_sweep


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sweep_dir", nargs="?", default="results/latest")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        summary = summarize_sweep(args.sweep_dir)
    except QrayError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    sys.stdout.write(summary.markdown + "\n")
    sys.stdout.write("wrote " + ", ".join(p.name for p in summary.files) + f" in {summary.sweep_dir}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
