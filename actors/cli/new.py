"""``qray new``: a starter experiment (a function, a class and their YAML)."""

from __future__ import annotations

import argparse
import sys

from actors.cli.common import Command, refused
from qray.errors import QrayError

NEW_HELP = """Write a starter for your own experiment: NAME.py (a function and a class, each
commented) and NAME.yaml, NAME_class.yaml that run them as they are.

    qray new experiment ghz_damping
    qray sweep --config ghz_damping.yaml
"""


def arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("kind", choices=["experiment"], help="what to write: experiment")
    parser.add_argument("name", metavar="NAME", help="a Python identifier")
    parser.add_argument("--dir", default=".", help="where the files go (default: here)")


def run(args: argparse.Namespace) -> int:
    from qray.experiment.starter import write_starter

    try:
        paths = write_starter(args.name, args.dir)
    except QrayError as exc:
        return refused(exc)
    for path in paths:
        sys.stdout.write(f"wrote {path}\n")
    sys.stdout.write(f"run it: qray sweep --config {paths[1]}\n")
    return 0


COMMAND = Command("write a starter experiment (a function, a class, their YAML)",
                  NEW_HELP, arguments, run)
