"""Helpers for tests that run the job scripts as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def user_env(**extra: str) -> dict[str, str]:
    """The environment of a user whose virtualenv is active (its bin first on PATH)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("RAY_AUTH_MODE", "disabled")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_job(script: str, *args: str, timeout: float = 600, **popen) -> subprocess.CompletedProcess:
    """Run ``python jobs/<script> args...`` from the repository root."""
    return subprocess.run([sys.executable, f"jobs/{script}", *args], cwd=ROOT, env=user_env(),
                          capture_output=True, text=True, timeout=timeout, **popen)


def parquet_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith(".tmp-"))
