"""Every workload's crash row (a task whose actor died) has the same shape: status
``error``, the message, the actor's name ``qray/<workload>/<key>``, the time, and the
workload's identifying columns; it fits the workload's schema."""

from __future__ import annotations

import pytest

from qray.config import load_config
from qray.results.schema import rows_to_table
from qray.workloads import get_spec
from tests.conformance.test_workloads import TINY


@pytest.mark.parametrize("workload", sorted(TINY))
def test_crash_rows_are_uniform(workload: str) -> None:
    conf, overrides = TINY[workload]
    cfg = load_config(conf, overrides)
    spec = get_spec(workload)
    module = spec.load("workload")
    plan = module.plan(cfg)
    point = plan.points[0]
    task = module.task_specs(point, cfg, "s", None)[0]
    row = spec.load("crash_row")(task, "x" * 3000)
    assert row["status"] == "error" and row["error"] == "x" * 2000
    assert row["workload"] == workload and row["task_id"] == task["task_id"]
    assert row["actor"].startswith(f"qray/{workload}/") and row["created_at"] is not None
    if spec.metric_tag:
        assert row[spec.metric_tag]
    rows_to_table([row], spec.load("schema"))
