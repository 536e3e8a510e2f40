"""Arrow schema of ``routing`` rows: one row per (router, coupling map, circuit)."""

from __future__ import annotations

import pyarrow as pa

from qray.results.schema import make_schema

WORKLOAD = "routing"

FIELDS = (
    pa.field("router", pa.string()),
    pa.field("coupling_map", pa.string()),
    pa.field("family", pa.string()),
    pa.field("n_qubits", pa.int64()),
    pa.field("instance", pa.int64()),
    pa.field("gates_2q", pa.int64()),
    pa.field("depth_in", pa.int64()),
    pa.field("swaps", pa.int64()),
    pa.field("depth", pa.int64()),
    pa.field("depth_2q", pa.int64()),
    pa.field("route_s", pa.float64()),
    pa.field("steps", pa.int64()),
    pa.field("verified", pa.bool_()),
    pa.field("adjacent", pa.bool_()),
    pa.field("equivalent", pa.bool_()),
    pa.field("operator_checked", pa.bool_()),
    pa.field("verify_s", pa.float64()),
)

SCHEMA = make_schema(FIELDS, workload=WORKLOAD)
