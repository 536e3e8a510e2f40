"""The names qray gives its result files: chunk files and (older sweeps, per-point
workloads) point files."""

from __future__ import annotations

import re
from pathlib import Path

#: file names qray writes: chunk files and (older sweeps, per-point workloads) point files
CHUNK_RE = re.compile(r"^chunk-[0-9A-Za-z]+-[0-9a-f]+-\d+\.parquet$")
POINT_RE = re.compile(r"^[0-9a-f]{24}\.parquet$")


def is_qray_file(path: str | Path) -> bool:
    """Whether ``path`` is named as qray names its result files."""
    name = Path(path).name
    return bool(CHUNK_RE.match(name) or POINT_RE.match(name))
