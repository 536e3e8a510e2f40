"""Provenance: the machine and software a sweep's numbers come from.

:func:`collect` gathers it once per run for ``sweep.json`` (host, CPU model and cores,
memory, GPU and driver, OS, Python, Ray, qray and its git revision, every relevant
library's version); :func:`host_facts` is the per-node part stamped on every row (it
varies across the nodes of a cluster). :func:`differences` says what changed between the
run that wrote a sweep and the one resuming it.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import platform
import shutil
import socket
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from qray.lifecycle import has_nvidia_gpu, machine_memory_bytes

#: distributions whose versions every sweep records (those installed)
LIBRARIES = (
    "numpy", "scipy", "pyarrow", "pandas", "ray", "torch", "qiskit", "qiskit-aer",
    "qiskit-ibm-runtime", "cirq-core", "qsimcirq", "stim", "pennylane", "pennylane-lightning",
    "pennylane-lightning-gpu", "pennylane-lightning-kokkos", "gymnasium", "mqt.bench",
    "cupy-cuda12x", "cupy-cuda13x", "numba",
)
#: the fields whose change between runs of one sweep is reported (and refused under
#: ``--strict-provenance``); ``git_dirty`` and the memory figure are informative only
COMPARED = ("hostname", "cpu_model", "cpu_count", "gpu", "os", "python", "ray", "qray",
            "git_rev", "libraries")

REPO_ROOT = Path(__file__).resolve().parent.parent


def version_of(distribution: str) -> str | None:
    """The installed version of ``distribution``, or None."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.cache
def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``; ``platform.processor()`` elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("model name", "Hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@functools.cache
def gpu_info() -> str | None:
    """``"<model> (driver <version>)"`` of each NVIDIA GPU, comma-joined, or None."""
    if not has_nvidia_gpu() or shutil.which("nvidia-smi") is None:
        return None
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return "NVIDIA GPU (nvidia-smi failed)"
    gpus = [line.split(",") for line in out.strip().splitlines() if line.strip()]
    return ", ".join(f"{name.strip()} (driver {drv.strip()})" for name, drv in gpus) or None


def memory_gb() -> float:
    """This machine's total memory in GiB."""
    return round(machine_memory_bytes() / 2**30, 1)


@functools.cache
def host_facts() -> dict[str, Any]:
    """What varies across the nodes of a cluster, for every row: CPU model and logical
    cores, GPU."""
    return {"cpu_model": cpu_model(), "cpu_count": os.cpu_count(), "gpu": gpu_info()}


def git_revision(root: Path = REPO_ROOT) -> tuple[str | None, bool | None]:
    """The checkout's commit and whether it has uncommitted changes, or (None, None)
    outside a git checkout (an installed wheel)."""
    if not (root / ".git").exists() or shutil.which("git") is None:
        return None, None
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                 "--untracked-files=no"], capture_output=True, text=True,
                                timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None, None
    return rev or None, bool(status.strip())


def collect(extra_libraries: Iterable[str] = ()) -> dict[str, Any]:
    """The provenance of a run on this machine (the driver's)."""
    rev, dirty = git_revision()
    libs = {name: v for name in sorted({*LIBRARIES, *extra_libraries})
            if (v := version_of(name)) is not None}
    return {
        "hostname": socket.gethostname(),
        **host_facts(),
        "memory_gb": memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "ray": version_of("ray"),
        "qray": version_of("qray"),
        "git_rev": rev,
        "git_dirty": dirty,
        "libraries": libs,
    }


def differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each compared field that changed; libraries are
    compared one by one (``libraries.<name>``). Fields the old record lacks are skipped."""
    out: dict[str, list[Any]] = {}
    for key in COMPARED:
        if key not in old:
            continue
        if key == "libraries":
            a, b = old.get(key) or {}, new.get(key) or {}
            for name in sorted({*a, *b}):
                if a.get(name) != b.get(name):
                    out[f"libraries.{name}"] = [a.get(name), b.get(name)]
        elif old.get(key) != new.get(key):
            out[key] = [old.get(key), new.get(key)]
    return out


def describe(diff: Mapping[str, list[Any]]) -> str:
    """``hostname: a -> b; libraries.qiskit-aer: 0.17.0 -> 0.17.1``."""
    return "; ".join(f"{k}: {a} -> {b}" for k, (a, b) in diff.items())
