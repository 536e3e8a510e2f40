"""A full disk: told apart from other failures, and reported as one clear error."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from qray.errors import QrayError

NO_SPACE = "No space left on device"


def caused_by_full_disk(exc: BaseException, folder: Path) -> bool:
    """Whether a failure came from a full disk: an ENOSPC anywhere in its chain, or
    (Tune reports a failed state write as e.g. EOFError) no space left where rows go."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC or NO_SPACE in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return no_space(folder)


def no_space(folder: Path) -> bool:
    """Less than 1 MiB free where the rows go."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1 << 20


def disk_full(sweep_dir: Path) -> QrayError:
    """The error of a sweep stopped by a full disk (the rows written stay intact)."""
    return QrayError(f"disk full: no space left under {sweep_dir}; the rows written so far "
                     "are intact and a rerun of the same command resumes the sweep once "
                     "space is freed")
