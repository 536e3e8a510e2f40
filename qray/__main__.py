"""``python -m qray backends`` and ``python -m qray compare A B``: the two commands that
need nothing but the library (``qray backends`` and ``qray compare`` run the same code;
every other command is the ``qray`` console script, ``actors.cli``)."""

from __future__ import annotations

import argparse
import sys

from qray.results.compare_command import COMPARE_HELP, compare_arguments, run_compare
from qray.simulators.listing import list_backends


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qray")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("backends", help="list simulator backends and their availability")
    compare_arguments(sub.add_parser(
        "compare", help="per-cell ratios of two sweeps with bootstrap intervals",
        description=COMPARE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter))
    args = parser.parse_args(argv)
    if args.command == "backends":
        sys.stdout.write(list_backends() + "\n")
    elif args.command == "compare":
        return run_compare(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
