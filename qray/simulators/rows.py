"""Arrow schema of a simulator run row."""

from __future__ import annotations

import pyarrow as pa

from qray.results.schema import make_schema

WORKLOAD = "simulators"

SCHEMA = make_schema(
    [
        pa.field("backend", pa.string(), nullable=False),
        pa.field("backend_version", pa.string()),
        pa.field("method", pa.string()),
        pa.field("circuit", pa.string(), nullable=False),
        pa.field("circuit_sha", pa.string()),
        pa.field("n_qubits", pa.int32(), nullable=False),
        pa.field("depth", pa.int32(), nullable=False),
        pa.field("circuit_depth", pa.int32()),
        pa.field("gates_1q", pa.int32()),
        pa.field("gates_2q", pa.int32()),
        pa.field("noise", pa.float64(), nullable=False),
        pa.field("noise_2q", pa.float64()),
        pa.field("readout_error", pa.float64()),
        pa.field("shots", pa.int64(), nullable=False),
        pa.field("repetition", pa.int32(), nullable=False),
        pa.field("threads", pa.int32()),
        pa.field("num_gpus", pa.float64()),
        pa.field("warmup", pa.int32()),
        pa.field("backend_options", pa.string()),
        pa.field("settings", pa.string()),
        pa.field("build_s", pa.float64()),
        pa.field("run_s", pa.float64()),
        pa.field("memory_estimate_mb", pa.float64()),
        # the run's resident-memory high-water mark above the actor's resident memory
        # when it began (MiB; NaN where the OS cannot reset the peak)
        pa.field("run_memory_mb", pa.float64()),
        pa.field("tvd_ideal", pa.float64()),
        pa.field("ghz_population", pa.float64()),
        pa.field("outcomes", pa.list_(pa.int64())),
        pa.field("counts", pa.list_(pa.int64())),
        pa.field("probs", pa.list_(pa.float64())),
    ],
    workload=WORKLOAD,
)
