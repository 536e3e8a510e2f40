"""``python -m qray backends``: which simulator backends can run here, and why not.
``python -m qray compare A B``: two sweeps' per-cell ratios with bootstrap intervals."""

from __future__ import annotations

import argparse
import logging
import sys


def list_backends() -> str:
    """A table of every registered backend: available or the reason it is not."""
    from qray.simulators.registry import BACKENDS, BROKEN, availability

    lines = [f"{'backend':28} {'status':12} detail"]
    for name, reason in availability().items():
        b = BACKENDS[name]
        if reason is None:
            detail = f"{b.distribution} {b.version()}" + ("  [GPU]" if b.gpu else "")
            lines.append(f"{name:28} {'available':12} {detail}")
        else:
            lines.append(f"{name:28} {'unavailable':12} {reason}")
    for name, why in sorted(BROKEN.items()):
        lines.append(f"{name:28} {'broken':12} {why}")
    lines += ["", "backend options (backend_options.<backend>.<option> = default: allowed; meaning):"]
    for name, b in BACKENDS.items():
        for opt, spec in sorted(b.OPTIONS.items()):
            lines.append(f"  {name}.{opt} = {spec.default!r}: {spec.allowed()}; {spec.doc}")
    return "\n".join(lines)


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
