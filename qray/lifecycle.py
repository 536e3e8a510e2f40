"""When a long-lived worker process should be replaced (shared by every workload's worker)."""

from __future__ import annotations

import os
import resource
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import psutil

#: environment variables that cap the threads of an actor's libraries (the runtime sets
#: them to the CPUs an actor reserves; workers report them)
THREAD_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
    "QSIM_NUM_THREADS",
)

#: cgroup files that may limit this process's memory below the machine's (v2, v1)
CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


@cache
def machine_memory_bytes() -> int:
    """Physical memory of this machine, or the container's limit when that is lower: what
    a memory budget is held to (an absurd budget never lets a run allocate past it)."""
    total = int(psutil.virtual_memory().total)
    for path in CGROUP_LIMITS:
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < total:
            total = int(text)
    return total


def machine_memory_mb() -> float:
    """:func:`machine_memory_bytes` in MiB."""
    return machine_memory_bytes() / 2**20


def rss_mb() -> float:
    """Current resident memory of this process, MiB."""
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mb(field: str) -> float:
    """A ``VmXXX`` field of ``/proc/self/status`` in MiB (NaN where there is none)."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return float("nan")
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


@cache
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim`` (None elsewhere)."""
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _trim_heap() -> None:
    """Return the heap's free pages to the OS, so that memory an earlier run freed but
    the allocator kept is neither counted in the next run's start nor hides its peak."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class RunMemory:
    """How much a run grew the process's resident memory, in MiB: the resident high-water
    mark during the run above the resident memory when it began.
    ``with RunMemory() as m: run(); m.mb``.

    Linux keeps a per-process peak (``VmHWM``) that writing ``5`` to
    ``/proc/self/clear_refs`` resets, so the peak seen after the run is the run's own,
    not the actor's lifetime peak (library imports, earlier larger runs). Before the run
    glibc's ``malloc_trim`` returns freed heap pages, so memory an earlier run freed does
    not count as this run's start. It is a lower bound of the run's footprint: pages the
    allocator hands out again without returning them to the OS within the run do not
    show. Where the reset is unavailable ``mb`` is NaN rather than a figure that means
    something else. Other threads of the process count too (an actor runs one task at a
    time)."""

    def __init__(self) -> None:
        self.mb = float("nan")
        self._start = float("nan")

    def __enter__(self) -> RunMemory:
        _trim_heap()
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            return self
        self._start = _status_mb("VmRSS")
        return self

    def __exit__(self, *exc: object) -> None:
        peak = _status_mb("VmHWM")
        self.mb = max(peak - self._start, 0.0) if peak == peak and self._start == self._start \
            else float("nan")


@dataclass(frozen=True)
class RecyclePolicy:
    """Recycle after ``max_tasks`` tasks (0: never) or above ``max_rss_mb`` of RSS."""

    max_tasks: int = 0
    max_rss_mb: float = float("inf")

    def reason(self, tasks_done: int) -> str | None:
        """Why the process should be replaced now, or None."""
        if self.max_tasks and tasks_done >= self.max_tasks:
            return f"ran {tasks_done} tasks (actor.max_tasks={self.max_tasks})"
        current = rss_mb()
        if current > self.max_rss_mb:
            return f"RSS {current:.0f} MiB > actor.max_rss_mb={self.max_rss_mb:g}"
        return None


class RssGrowth:
    """Recycle a long-lived process once its resident memory has grown more than
    ``max_growth_mb`` over its warmed-up size (the RSS at the first check, after its
    first batch: imports, JIT and caches paid) — what a leak does, whatever the task
    count. A process that does not grow is never replaced."""

    def __init__(self, max_growth_mb: float = float("inf")) -> None:
        self.max_growth_mb = max_growth_mb
        self.baseline_mb: float | None = None

    def reason(self) -> str | None:
        """Why the process should be replaced now, or None (the first call sets the
        baseline)."""
        if self.max_growth_mb == float("inf"):
            return None
        current = rss_mb()
        if self.baseline_mb is None:
            self.baseline_mb = current
            return None
        grown = current - self.baseline_mb
        if grown > self.max_growth_mb:
            return (f"RSS grew {grown:.0f} MiB over its warmed-up {self.baseline_mb:.0f} MiB "
                    f"(actor.max_rss_growth_mb={self.max_growth_mb:g})")
        return None


def has_nvidia_gpu() -> bool:
    """True when an NVIDIA GPU is visible (driver files or nvidia-smi), without CUDA libs."""
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) == "":
        return False
    gpus = Path("/proc/driver/nvidia/gpus")
    if gpus.is_dir() and any(gpus.iterdir()):
        return True
    return shutil.which("nvidia-smi") is not None and Path("/dev/nvidia0").exists()
