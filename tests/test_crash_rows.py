"""Every workload's crash row (a task whose actor died), built by the runtime, has the
same shape: status ``error``, the message, the name of the actor that ran it
(``qray/<workload>/<key>``, as the pool names it), the time, and the worker's
``identity(params)``, the same columns its ordinary rows carry; it fits the schema."""

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
    key = spec.key_of(point, plan)
    if spec.worker:
        row = spec.crash_row_of(task, "x" * 3000, key)
        assert row["actor"] == f"qray/{workload}/{key}"
    else:  # a workload that runs its own points (qkernels: a worker set per point)
        from qray.qkernels.pipeline import crash_row

        assert spec.run_point
        row = crash_row(task, "x" * 3000)
        assert row["actor"].startswith(f"qray/{workload}/")
    assert row["status"] == "error" and row["error"] == "x" * 2000
    assert row["workload"] == workload and row["task_id"] == task["task_id"]
    assert row["created_at"] is not None
    if spec.metric_tag:
        assert row[spec.metric_tag]
    rows_to_table([row], spec.load("schema"))
