"""``qray backends``: the simulator backends (available, or why not) and the workloads."""

from __future__ import annotations

import argparse
import sys

from actors.cli.common import Command
from qray.simulators.listing import list_backends

BACKENDS_HELP = """The simulator backends (available here, or why not) and the workloads
(built-in and from the qray.workloads entry points). Imports no simulator library.
"""


def arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    return None


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(list_backends() + "\n\n" + list_workloads() + "\n")
    return 0


def list_workloads() -> str:
    """A table of every registered workload: sweep or training, and what it does."""
    from qray.workloads import get_spec, names

    rows: list[tuple[str, str, str]] = []
    for n in names():
        try:
            s = get_spec(n)
        except Exception as exc:  # a plugin's bug: named here, the others still listed
            rows.append((n, "broken", f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}"))
            continue
        rows.append((s.name, "sweep" if s.is_sweep else "train", s.description))
    width = max([len("workload"), *(len(r[0]) for r in rows)])
    lines = [f"{'workload':{width}}  {'kind':6}  description"]
    lines += [f"{n:{width}}  {k:6}  {d}".rstrip() for n, k, d in rows]
    return "\n".join(lines)


COMMAND = Command("list simulator backends (and why not available) and workloads",
                  BACKENDS_HELP, arguments, run)
