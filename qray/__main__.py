"""``python -m qray backends``: which simulator backends can run here, and why not."""

from __future__ import annotations

import argparse
import sys


def list_backends() -> str:
    """A table of every registered backend: available or the reason it is not."""
    from qray.simulators.registry import BACKENDS, availability

    lines = [f"{'backend':28} {'status':12} detail"]
    for name, reason in availability().items():
        b = BACKENDS[name]
        if reason is None:
            detail = f"{b.distribution} {b.version()}" + ("  [GPU]" if b.gpu else "")
            lines.append(f"{name:28} {'available':12} {detail}")
        else:
            lines.append(f"{name:28} {'unavailable':12} {reason}")
    lines += ["", "backend options (backend_options.<backend>.<option> = default: allowed; meaning):"]
    for name, b in BACKENDS.items():
        for opt, spec in sorted(b.OPTIONS.items()):
            lines.append(f"  {name}.{opt} = {spec.default!r}: {spec.allowed()}; {spec.doc}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qray")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("backends", help="list simulator backends and their availability")
    args = parser.parse_args(argv)
    if args.command == "backends":
        sys.stdout.write(list_backends() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
