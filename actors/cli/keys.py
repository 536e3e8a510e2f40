"""``qray keys``: a workload's config keys with type, default and doc."""

from __future__ import annotations

import argparse
import sys

from actors.cli.common import Command, refused
from qray.errors import QrayError

KEYS_HELP = """Every config key of a workload (dotted names for nested sections, e.g.
actor.batch_size), with its type, default and doc; set any of them with key=value.

    qray keys simulators
    qray compare results/<sweep A> results/<sweep B>
    qray keys cloud_train | grep env.tasks
"""


def arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("workload", help="a workload name (`qray backends` lists them)")


def run(args: argparse.Namespace) -> int:
    from qray.key_docs import config_keys, format_value
    from qray.workloads import config_class

    try:
        keys = config_keys(config_class(args.workload))
    except QrayError as exc:
        return refused(exc)
    rows = [(k.name, k.type, "" if k.section else format_value(k.default), k.doc)
            for k in keys]
    widths = [min(max(len(r[i]) for r in rows), cap) for i, cap in enumerate((34, 24, 20))]
    lines = []
    for row in [("key", "type", "default", "description"), *rows]:
        cells = [f"{c:<{w}}" for c, w in zip(row[:3], widths, strict=True)]
        lines.append(("  ".join(cells) + "  " + row[3]).rstrip())
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


COMMAND = Command("list a workload's config keys: type, default, doc",
                  KEYS_HELP, arguments, run)
