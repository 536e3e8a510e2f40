"""``qray summarize``: write and print a sweep's summary, tables and plots."""

from __future__ import annotations

import argparse
import sys

from actors.cli.common import SHORT_LOG_FORMAT, Command, log_level_argument, refused, setup_logging
from qray.errors import QrayError

SUMMARIZE_HELP = """Summarize a sweep folder: summary.md, CSV tables and PNG plots beside the
data, and the summary printed. Without an argument it summarizes results/latest.
"""


def arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("sweep_dir", nargs="?", default="results/latest",
                        help="the sweep's folder (default: results/latest)")
    log_level_argument(parser)


def run(args: argparse.Namespace) -> int:
    from qray.summary import summarize_sweep

    setup_logging(args, SHORT_LOG_FORMAT)
    try:
        summary = summarize_sweep(args.sweep_dir)
    except QrayError as exc:
        return refused(exc)
    sys.stdout.write(summary.markdown + "\n")
    sys.stdout.write("wrote " + ", ".join(p.name for p in summary.files)
                     + f" in {summary.sweep_dir}\n")
    return 0


COMMAND = Command("write and print a sweep's summary, tables and plots",
                  SUMMARIZE_HELP, arguments, run)
