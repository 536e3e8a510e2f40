"""Bad-input matrix cases (core): (config, overrides, key named, fragment of the message),
each refused by ``actors.sweep`` before any work with nothing written."""

from __future__ import annotations

from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"

CASES: list[tuple[Path, list[str], str, str]] = []
