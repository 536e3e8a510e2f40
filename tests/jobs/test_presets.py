"""Every shipped config validates and expands (no Ray needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qray.config import load_config
from qray.simulators.workload import plan

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"


@pytest.mark.parametrize("path", sorted(CONF.glob("*.yaml")), ids=lambda p: p.stem)
def test_config_loads_and_plans(path: Path) -> None:
    cfg = load_config(path)
    assert cfg.workload == "simulators"
    p = plan(cfg)
    assert p.n_tasks > 0
