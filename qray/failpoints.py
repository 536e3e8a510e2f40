"""Failpoints: named moments where a run pauses when a test asks, so that a reliability
test can stop the driver exactly there (planning done, Ray started, the summary being
written, a result file recorded but not yet in place).

``QRAY_FAILPOINT=<name>`` arms one; when a run reaches it, it creates
``$QRAY_FAILPOINT_DIR/<name>.reached`` and sleeps (at most ``QRAY_FAILPOINT_S`` seconds,
default 60) so that the test can send its signal. ``write`` fires only once the folder
being written holds at least ``QRAY_FAILPOINT_AFTER`` chunk files (the last write of a
sweep). Unset (always, outside tests), a failpoint is one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

NAMES = ("planned", "ray-started", "summary", "write")


def reach(name: str, folder: Path | None = None) -> None:
    """Pause at failpoint ``name`` when it is armed (see the module docstring)."""
    if os.environ.get("QRAY_FAILPOINT") != name:
        return
    if name == "write" and folder is not None:
        after = int(os.environ.get("QRAY_FAILPOINT_AFTER", "0"))
        if len(list(folder.glob("chunk-*.parquet"))) < after:
            return
    marker = Path(os.environ.get("QRAY_FAILPOINT_DIR", ".")) / f"{name}.reached"
    if marker.exists():  # once per run
        return
    marker.touch()
    deadline = time.monotonic() + float(os.environ.get("QRAY_FAILPOINT_S", "60"))
    while time.monotonic() < deadline:
        time.sleep(0.05)
