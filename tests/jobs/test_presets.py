"""Every shipped config validates and expands (no Ray needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from actors.runtime.binding import get_binding
from qray.config import WORKLOADS, load_config

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"


@pytest.mark.parametrize("path", sorted(CONF.glob("*.yaml")), ids=lambda p: p.stem)
def test_config_loads_and_plans(path: Path) -> None:
    if path.stem == "cloud_deploy":  # jobs/deploy_scheduler.py's config
        from qray.cloud.deploy import load_deploy_config

        assert load_deploy_config(path).mode == "local"
        return
    cfg = load_config(path)
    assert cfg.workload in WORKLOADS
    if cfg.workload in ("cloud_train", "routing_train"):  # training configs, not sweeps
        return
    p = get_binding(cfg.workload).plan(cfg)
    assert p.n_tasks > 0
