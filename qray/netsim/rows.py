"""Arrow schema of ``netsim`` result rows: one row per experiment."""

from __future__ import annotations

import pyarrow as pa

from qray.results.schema import make_schema

WORKLOAD = "netsim"

FIELDS = (
    pa.field("physics", pa.string()),
    pa.field("allocator", pa.string()),
    pa.field("scenario", pa.string()),
    pa.field("learner", pa.string()),
    pa.field("horizon", pa.int64()),
    pa.field("replicate", pa.int64()),
    pa.field("epoch", pa.int64()),
    pa.field("scale", pa.float64()),
    pa.field("topology_seed", pa.int64()),
    pa.field("n_paths", pa.int64()),
    pa.field("n_arms", pa.int64()),
    pa.field("efficiency", pa.float64()),
    pa.field("gap", pa.float64()),
    pa.field("reward", pa.float64()),
    pa.field("oracle_reward", pa.float64()),
    pa.field("realized_reward", pa.float64()),
    pa.field("regret", pa.float64()),
    pa.field("curve_frames", pa.list_(pa.int64())),
    pa.field("regret_curve", pa.list_(pa.float64())),
    pa.field("reward_curve", pa.list_(pa.float64())),
    pa.field("path_counts", pa.list_(pa.int64())),
    pa.field("denied_counts", pa.list_(pa.int64())),
    pa.field("denied_choices", pa.int64()),
    pa.field("switches", pa.int64()),
    pa.field("final_path", pa.int64()),
    pa.field("final_path_share", pa.float64()),
    pa.field("best_path", pa.int64()),
    pa.field("distance_path", pa.int64()),
    pa.field("alloc_frames", pa.list_(pa.int64())),
    pa.field("alloc_capacities", pa.list_(pa.list_(pa.int64()))),
    pa.field("run_s", pa.float64()),
    # the learner's own parameters (canonical JSON: a grid over them, e.g. UCBPaper2's gamma)
    pa.field("learner_config", pa.string()),
    # per path: the sum of the realized rewards the learner saw (its running mean is
    # path_rewards / path_counts, UCB's Q estimate)
    pa.field("path_rewards", pa.list_(pa.float64())),
    # the path played in each of the first frames (FIRST_FRAMES of them)
    pa.field("first_paths", pa.list_(pa.int64())),
)

SCHEMA = make_schema(FIELDS, workload=WORKLOAD)
