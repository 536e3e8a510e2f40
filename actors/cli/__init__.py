"""The ``qray`` command: one console script with a subcommand per job, one module per
command (``actors/cli/<command>.py``: its help, its arguments, what it runs; listed once
in :data:`COMMANDS`).

    qray sweep [--config NAME_OR_PATH] [--dry-run | --print-config] [key=value ...]
    qray train --config cloud [key=value ...]
    qray keys simulators
    qray compare results/<sweep A> results/<sweep B>

The same from Python: ``actors.cli.main(["sweep", "--dry-run"])`` returns the exit code
(0 done, 1 some work failed and a rerun retries it, 2 refused before any work). The
scripts in ``jobs/`` are shims over :func:`main`, so ``python jobs/sweep.py`` and
``ray job submit -- python jobs/sweep.py`` run exactly this code. Ray is imported only
once a command runs work on it: ``--dry-run``, ``--print-config``, ``keys``,
``backends`` and ``summarize`` never import it.
"""

from __future__ import annotations

import argparse
import sys

from actors.cli import (
    backends,
    cite,
    compare,
    deploy,
    export,
    keys,
    new,
    summarize,
    sweep,
    train,
)
from actors.cli.common import Command
from qray.errors import closest

#: every command, in the order ``qray --help`` lists them
COMMANDS: dict[str, Command] = {
    "sweep": sweep.COMMAND,
    "train": train.COMMAND,
    "export": export.COMMAND,
    "deploy": deploy.COMMAND,
    "summarize": summarize.COMMAND,
    "cite": cite.COMMAND,
    "backends": backends.COMMAND,
    "keys": keys.COMMAND,
    "compare": compare.COMMAND,
    "new": new.COMMAND,
}

def main(argv: list[str] | None = None, *, prog: str | None = None,
         description: str | None = None, default_config: str | None = None) -> int:
    """Run ``qray <command> [args]``; returns the exit code.

    Args:
        argv: the arguments (default ``sys.argv[1:]``), the command first.
        prog: show the command as this program in usage and ``--help`` (the job shims:
            ``sweep.py``); default ``qray <command>``.
        description: the command's ``--help`` text instead of its own.
        default_config: the preset (or YAML file) used without ``--config``.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or argv[0] not in COMMANDS:
            _top_parser().parse_args(argv)  # help, version, or the usage error
            return 2
        name = argv[0]
        command = COMMANDS[name]
        parser = argparse.ArgumentParser(
            prog=prog or f"qray {name}", description=description or command.description,
            formatter_class=argparse.RawDescriptionHelpFormatter)
        command.arguments(parser, default_config)
        args = parser.parse_intermixed_args(argv[1:])
    except SystemExit as exc:  # argparse's --help and usage errors
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    return command.run(args)


TOP_HELP = """Run sweeps, training and policy jobs of the qray workloads on Ray (an embedded
local Ray, a `ray start` cluster, or the cluster of `ray job submit`)."""


class _TopParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        word = message.split("invalid choice: ", 1)[-1].split(" ", 1)[0].strip("'")
        hint = closest(word, COMMANDS) if "invalid choice" in message else None
        super().error(message + (f"; did you mean {hint!r}?" if hint else ""))


def _top_parser() -> argparse.ArgumentParser:
    from qray import __version__

    width = max(len(n) for n in COMMANDS)
    listing = "\n".join(f"  {n:<{width}}  {c.help}" for n, c in COMMANDS.items())
    parser = _TopParser(
        prog="qray", usage="qray [-h] [--version] COMMAND [ARGS ...]", description=TOP_HELP,
        epilog=f"commands:\n{listing}\n\n`qray COMMAND --help` shows a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"qray {__version__}")
    parser.add_argument("command", metavar="COMMAND", choices=list(COMMANDS),
                        help="one of the commands below")
    return parser
