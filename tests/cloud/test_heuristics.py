"""Heuristics over 100 seeded episodes reproduce the studied ordering."""

from __future__ import annotations

import logging

from qray.cloud.env import QuantumCloudEnv
from qray.cloud.evaluate import eval_seeds, evaluate, summary_table
from qray.cloud.heuristics import HEURISTICS
from qray.results.tables import markdown_table

log = logging.getLogger(__name__)


def test_heuristic_ordering_over_100_seeded_episodes() -> None:
    df = evaluate(QuantumCloudEnv(), [h() for h in HEURISTICS.values()], eval_seeds(100))
    table = summary_table(df)
    print("\n" + markdown_table(table, index=False, floatfmt="{:.4g}"))
    t = table.set_index("scheduler")["total_completion_s"]
    # studied: FeasibleGreedy 654 <= Greedy 647 < RoundRobin 882 < Random 1124 (the studied
    # metric left out the rescheduling delay, which here is included)
    assert t["FeasibleGreedy"] <= t["Greedy"] < t["RoundRobin"] < t["Random"]
    resched = table.set_index("scheduler")["reschedules"]
    assert resched["FeasibleGreedy"] == 0
    assert resched["Greedy"] > resched["RoundRobin"] > 0
    excl = table.set_index("scheduler")["excl_delay_s"]
    assert excl["Greedy"] < t["Greedy"]  # leaving the delay out flatters rescheduling
    assert (df["truncated"] == False).all()  # noqa: E712


def test_same_seed_same_episode_for_every_scheduler() -> None:
    env = QuantumCloudEnv()
    seen = []
    for h in HEURISTICS.values():
        evaluate(env, [h()], [10_000_000])
        seen.append([(t.circuit, t.width, t.arrival) for t in env.tasks])
    assert all(s == seen[0] for s in seen)
    a = evaluate(env, [HEURISTICS["Random"]()], [10_000_000, 10_000_000])
    assert a["total_completion"].nunique() == 1
