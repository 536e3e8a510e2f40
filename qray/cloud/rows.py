"""Arrow schema of ``cloud`` result rows: one row per (scheduler, evaluation episode)."""

from __future__ import annotations

import pyarrow as pa

from qray.results.schema import make_schema

WORKLOAD = "cloud"

FIELDS = (
    pa.field("scheduler", pa.string()),
    pa.field("kind", pa.string()),  # heuristic | DQN | PPO
    pa.field("episode_key", pa.int64()),
    pa.field("tasks", pa.int64()),
    pa.field("total_completion", pa.float64()),
    pa.field("total_completion_excl_delay", pa.float64()),
    pa.field("total_wait", pa.float64()),
    pa.field("reschedules", pa.int64()),
    pa.field("makespan", pa.float64()),
    pa.field("mean_utilization", pa.float64()),
    pa.field("utilization", pa.list_(pa.float64())),
    pa.field("nodes", pa.list_(pa.string())),
    pa.field("truncated", pa.bool_()),
    pa.field("steps", pa.int64()),
    pa.field("decide_s", pa.float64()),
)

SCHEMA = make_schema(FIELDS, workload=WORKLOAD)
