"""Shared fixtures: one embedded Ray (2 CPUs, no dashboard, auth off) per test session."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Embedded test clusters run with token auth off on purpose (nothing listens beyond
# loopback and each lives for one test session); the head-node tests turn it on.
os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")


@pytest.fixture(scope="session")
def ray_session():
    """An embedded Ray with 2 CPUs and a fake custom resource, shared by the Ray tests."""
    import ray

    if not ray.is_initialized():
        ray.init(
            num_cpus=2,
            resources={"simhost": 4},
            include_dashboard=False,
            namespace="qray",
            runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}},
            log_to_driver=False,
        )
    yield ray
    ray.shutdown()


@pytest.fixture
def quiet_cfg():
    """Keys that keep test sweeps small and quiet."""
    return ["ray.include_dashboard=false", "summarize=false", "warmup=0"]
