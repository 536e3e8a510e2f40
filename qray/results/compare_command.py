"""``compare`` on the command line: its help, arguments and runner, shared by ``qray
compare`` (``actors/cli/compare.py``) and ``python -m qray compare``."""

from __future__ import annotations

import argparse
import logging
import sys

COMPARE_HELP = """Compare sweep B with sweep A cell by cell: per cell (a grid point without its
repetitions, e.g. backend, circuit, n_qubits, depth, noise) the median of the metric in B
over its median in A, with a seeded bootstrap 95 % interval. Prints the table and writes
compare.md, compare.csv and compare.png into --out (default: B's sweep folder). A and B
are sweep folders (results/<sweep_id>), a 'latest' link, or a results folder holding
'latest'. Exit 2 when a path holds no sweep rows or the sweeps share no cell.

    qray compare results/ci_small-1111aaaa results/latest --out /tmp/cmp
"""


def compare_arguments(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    """The arguments of ``compare`` (``default`` is unused: the signature of the
    ``qray`` console script's commands)."""
    parser.add_argument("a", help="the baseline sweep (folder, 'latest' link or results folder)")
    parser.add_argument("b", help="the sweep compared with it")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="where compare.md, compare.csv and compare.png go "
                             "(default: B's sweep folder)")
    parser.add_argument("--metric", default=None,
                        help="the numeric row column compared (default: run_s, else wall_s)")


def run_compare(args: argparse.Namespace) -> int:
    """Run ``compare``: 0 when written, 2 when refused (the reason on stderr)."""
    from qray.errors import QrayError
    from qray.results.compare import compare, comparison_markdown, write_comparison

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        comp = compare(args.a, args.b, metric=args.metric)
        files = write_comparison(comp, args.out)
    except QrayError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except OSError as exc:  # --out not writable, a file unreadable
        out = args.out or "the sweep folder of B"
        sys.stderr.write(f"error: comparing {args.a} with {args.b} into {out}: {exc}\n")
        return 2
    sys.stdout.write(comparison_markdown(comp) + "\n")
    sys.stdout.write("wrote " + ", ".join(p.name for p in files) + f" in {files[0].parent}\n")
    return 0
