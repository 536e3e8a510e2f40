"""Two tiny real simulator sweeps, run once per test session on a 1-CPU embedded Ray.

A: numpy and stim, GHZ on 2 and 3 qubits, 3 repetitions, no warmup, summarized (so that
CSV, Markdown and PNG files lie beside its data). B: the same with one warmup run and a
third size, 4 qubits (cells only B has). Ray is stopped again right after the sweeps
(unless a test session already had one), so no 1-CPU Ray outlives these fixtures.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

SMALL = ["ray.include_dashboard=false", "backends=[numpy,stim]", "circuits=[ghz]",
         "repetitions=3"]


@dataclass(frozen=True)
class Sweeps:
    """The results folders (each holding ``latest``) and sweep folders of A and B."""

    root_a: Path
    root_b: Path

    @property
    def a(self) -> Path:
        return (self.root_a / "latest").resolve()

    @property
    def b(self) -> Path:
        return (self.root_b / "latest").resolve()


def start_small_ray() -> bool:
    """An embedded Ray with one CPU unless one is running; whether this started it."""
    import ray

    if ray.is_initialized():
        return False
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    ray.init(num_cpus=1, include_dashboard=False, namespace="qray", log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})
    return True


@pytest.fixture(scope="session")
def sweeps(tmp_path_factory: pytest.TempPathFactory) -> Sweeps:
    import ray

    from actors.cli import main

    base = tmp_path_factory.mktemp("sweeps")
    out = Sweeps(base / "a", base / "b")
    started = start_small_ray()
    try:
        assert main(["sweep", "--config", "ci_small", f"output_dir={out.root_a}", *SMALL,
                     "n_qubits=[2,3]", "warmup=0", "summarize=true"]) == 0
        assert main(["sweep", "--config", "ci_small", f"output_dir={out.root_b}", *SMALL,
                     "n_qubits=[2,3,4]", "warmup=1", "summarize=false"]) == 0
    finally:
        if started:
            ray.shutdown()
    return out
