"""Cutting a sweep's pending tasks into units of work."""

from __future__ import annotations

import pytest

from qray.chunks import cut_units, pending_tasks
from qray.config import ExecutionConfig
from qray.errors import ConfigError
from qray.tasks import Plan, Point, Task


def _plan(points: int, reps: int, keys: tuple[str, ...] = ("a", "b")) -> Plan:
    out = []
    for i in range(points):
        params = {"key": keys[i % len(keys)], "i": i}
        tasks = tuple(Task("w", {**params, "rep": r}) for r in range(reps))
        out.append(Point("w", params, tasks))
    return Plan(out)


def test_chunks_hold_one_keys_tasks_in_plan_order_up_to_the_size() -> None:
    plan = _plan(6, 5)
    work = pending_tasks(plan, {}, rerun_failed=False)
    units = cut_units(work, lambda p: p.params["key"], size=4, per_point=False)
    # each key has 3 points x 5 tasks = 15 tasks: chunks of 4, 4, 4, 3
    assert [u.n_tasks for u in units] == [4, 4, 4, 3, 4, 4, 4, 3]
    assert all(len({p.params["key"] for p, _ in u.parts}) == 1 for u in units)
    a_ids = [i for u in units if u.key == "a" for _, ids in u.parts for i in ids]
    assert a_ids == [t.strong_id for p in plan.points if p.params["key"] == "a" for t in p.tasks]


def test_done_tasks_are_left_out_and_failed_ones_come_back_on_request() -> None:
    plan = _plan(2, 3)
    ids = [t.strong_id for p in plan.points for t in p.tasks]
    status = {ids[0]: "ok", ids[1]: "error", ids[3]: "ok", ids[4]: "ok", ids[5]: "timeout"}
    work = pending_tasks(plan, status, rerun_failed=False)
    assert work.skipped == 5 and work.n_run == 1
    again = pending_tasks(plan, status, rerun_failed=True)
    assert again.n_run == 3
    per_point = cut_units(again, lambda p: p.params["key"], size=100, per_point=True)
    assert [u.n_tasks for u in per_point] == [2, 1]


def test_automatic_chunk_size() -> None:
    auto = ExecutionConfig()
    assert auto.chunk_size(100_000, 2) == 1000  # capped
    assert auto.chunk_size(336, 2) == 42  # at least 4 chunks per concurrent trial
    assert auto.chunk_size(3, 2) == 1
    assert ExecutionConfig(chunk_tasks=7).chunk_size(10_000, 2) == 7


@pytest.mark.parametrize("bad", [0, -1, 100_001, "big"])
def test_bad_chunk_sizes_are_refused(bad) -> None:  # noqa: ANN001
    with pytest.raises(ConfigError, match="execution.chunk_tasks"):
        ExecutionConfig(chunk_tasks=bad)
