"""``qray compare``: two sweeps cell by cell, ratios of medians with bootstrap intervals
(the runner is the library's, shared with ``python -m qray compare``)."""

from __future__ import annotations

from actors.cli.common import Command
from qray.results.compare_command import COMPARE_HELP, compare_arguments, run_compare

COMMAND = Command("compare two sweeps cell by cell: ratios of medians with intervals",
                  COMPARE_HELP, compare_arguments, run_compare)
