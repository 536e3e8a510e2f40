"""Print the reliability suite's figures (runs killed, rows expected vs found, RSS before
and after, bad inputs tried) at the end of every test run that includes it."""

from __future__ import annotations

from tests.reliability.helpers import FIGURES, REFUSED


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    if FIGURES or REFUSED:
        terminalreporter.section("reliability figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
        if REFUSED:
            terminalreporter.write_line(
                f"bad inputs | {len(REFUSED)} inputs tried, each refused before any work")


def pytest_sessionfinish(session, exitstatus) -> None:  # noqa: ANN001
    """With ``QRAY_REFUSED_OUT=<file>``, write every refused input's message there (one a
    line), for the list of messages the docs and release notes show."""
    import os

    out = os.environ.get("QRAY_REFUSED_OUT")
    if out and REFUSED:
        with open(out, "w", encoding="utf-8") as fh:
            fh.writelines(" ".join(m.split()) + "\n" for m in REFUSED)
