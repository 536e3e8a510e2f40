"""``qray cite``: BibTeX, a CFF snippet and a methods sentence for a sweep."""

from __future__ import annotations

import argparse
import sys

from actors.cli.common import SHORT_LOG_FORMAT, Command, refused, setup_logging
from actors.cli.summarize import arguments
from qray.errors import QrayError

CITE_HELP = """How to cite a sweep: a BibTeX entry per package (qray first, with its git
revision), a CITATION.cff references snippet and a methods-section sentence, all from the
versions and machine the sweep's sweep.json recorded. Without an argument: results/latest.
"""


def run(args: argparse.Namespace) -> int:
    from qray.results.cite import cite

    setup_logging(args, SHORT_LOG_FORMAT)
    try:
        citation = cite(args.sweep_dir)
    except QrayError as exc:
        return refused(exc)
    sys.stdout.write(citation.text())
    return 0


COMMAND = Command("print how to cite a sweep: BibTeX, CFF and a methods sentence",
                  CITE_HELP, arguments, run)
