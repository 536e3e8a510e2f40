"""Shared pieces of the reliability suite: the figures it prints."""

from __future__ import annotations

import logging

log = logging.getLogger("qray.reliability")

#: every figure line of this session, printed again in the terminal summary (conftest.py)
FIGURES: list[str] = []


def figure(title: str, **values: object) -> str:
    """Record one line of figures, ``title | k=v ...``; it is printed in the test run's
    terminal summary (and right away with ``-s``)."""
    line = f"{title} | " + " ".join(f"{k}={v}" for k, v in values.items())
    FIGURES.append(line)
    print(f"reliability | {line}", flush=True)
    log.info(line)
    return line

#: the message of every bad input refused in this run (the matrix and the one-off cases);
#: the terminal summary prints their count
REFUSED: list[str] = []


def refused(message: str) -> str:
    """Count one bad input that was refused before any work, with its message."""
    REFUSED.append(message)
    return message
