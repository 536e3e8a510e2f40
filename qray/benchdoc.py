"""``jobs/BENCHMARKS.md``: the one file that holds the benchmark figures.

Each ``jobs/bench_*.py`` script owns one or more sections of it and rewrites them
(:func:`write_section`) at the end of a run, each with the command that produced it, the
date, the machine and the library versions. Sections are delimited by HTML comments, so a
run replaces its own sections and leaves the others as they are. The write is atomic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from qray.provenance import REPO_ROOT, collect

#: where the scripts write unless told otherwise (``--doc``)
DEFAULT_PATH = REPO_ROOT / "jobs" / "BENCHMARKS.md"

HEADER = """# Benchmarks

Every section of this file is written by the benchmark script named in it (`python
jobs/bench_<name>.py ...`), at the end of a run, with the command, the date, the machine
and the library versions of that run. Rerunning a command replaces its section;
`--no-doc` leaves the file alone, `--doc PATH` writes elsewhere. Figures are ratios
against a baseline measured side by side in the same run, so they compare across
machines better than the absolute times do.
"""

_KEY = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- bench:{key} begin -->", f"<!-- bench:{key} end -->"


def command_line(script: str, argv: Sequence[str] | None) -> str:
    """The command as a user types it: ``python jobs/<script> <args>``."""
    args = list(sys.argv[1:] if argv is None else argv)
    return " ".join(["python", f"jobs/{script}", *(shlex.quote(a) for a in args)])


def machine_line(libraries: Iterable[str] = ()) -> str:
    """One line naming the machine and the versions a figure depends on."""
    prov = collect()
    libs = prov["libraries"]
    names = [n for n in ("ray", *libraries) if n in libs]
    gpu = prov["gpu"] or "no GPU"
    versions = ", ".join(f"{n} {libs[n]}" for n in names)
    rev = prov["git_rev"][:10] if prov["git_rev"] else "not a git checkout"
    if prov["git_dirty"]:
        rev += " with local changes"
    return (f"{prov['cpu_model']}, {prov['cpu_count']} logical CPUs, {prov['memory_gb']} GiB, "
            f"{gpu}; {prov['os']}; Python {prov['python']}"
            + (f", {versions}" if versions else "") + f"; qray at {rev}")


def render_section(key: str, title: str, body: str, command: str,
                   libraries: Iterable[str] = (), when: dt.datetime | None = None) -> str:
    """A section's text, markers included."""
    when = when or dt.datetime.now(dt.UTC)
    begin, end = _markers(key)
    return "\n".join([
        begin,
        f"## {title}",
        "",
        f"`{command}`",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} UTC on {machine_line(libraries)}.",
        "",
        body.strip(),
        end,
    ])


def write_section(key: str, title: str, body: str, *, script: str,
                  argv: Sequence[str] | None = None, libraries: Iterable[str] = (),
                  path: Path | None = None) -> Path:
    """Replace (or append) section ``key`` of the benchmarks file with ``body``.

    ``script`` is the ``jobs/`` script's file name and ``argv`` its arguments (default:
    ``sys.argv[1:]``); ``libraries`` are the distributions whose versions the figures
    depend on (Ray's is always named)."""
    if not _KEY.match(key):
        raise ValueError(f"benchmark section key {key!r}: allowed lower-case letters, digits, "
                         "'_', '.', '-'")
    path = Path(path or DEFAULT_PATH)
    text = path.read_text() if path.exists() else HEADER
    section = render_section(key, title, body, command_line(script, argv), libraries)
    begin, end = _markers(key)
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def sections(path: Path | None = None) -> list[str]:
    """The keys of the sections in the benchmarks file, in file order."""
    path = Path(path or DEFAULT_PATH)
    if not path.exists():
        return []
    return re.findall(r"<!-- bench:([a-z0-9_.-]+) begin -->", path.read_text())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--doc PATH`` / ``--no-doc`` on a benchmark script's parser."""
    parser.add_argument("--doc", type=Path, default=DEFAULT_PATH,
                        help="the benchmarks file to write this run's section(s) into "
                             "(default: jobs/BENCHMARKS.md)")
    parser.add_argument("--no-doc", action="store_true",
                        help="print the figures only; leave the benchmarks file alone")
