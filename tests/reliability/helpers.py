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
