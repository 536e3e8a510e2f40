"""Arrow schemas of result rows.

Every workload's rows start with the common columns (ids, status, timings) and add their
own. Rows are plain dicts until they are turned into an Arrow table with the workload's
explicit schema, so a missing or mistyped column fails loudly at write time.
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

#: Status values a row may carry.
STATUSES = ("ok", "error", "timeout", "unsupported", "refused")

COMMON_FIELDS: tuple[pa.Field, ...] = (
    pa.field("sweep_id", pa.string(), nullable=False),
    pa.field("workload", pa.string(), nullable=False),
    pa.field("task_id", pa.string(), nullable=False),
    pa.field("point_id", pa.string(), nullable=False),
    pa.field("status", pa.string(), nullable=False),
    pa.field("error", pa.string()),
    pa.field("seed", pa.int64()),
    pa.field("wall_s", pa.float64()),
    pa.field("actor", pa.string()),
    pa.field("pid", pa.int64()),
    pa.field("host", pa.string()),
    pa.field("node_id", pa.string()),
    pa.field("cpu_model", pa.string()),
    pa.field("cpu_count", pa.int32()),
    pa.field("gpu", pa.string()),
    pa.field("peak_rss_mb", pa.float64()),
    pa.field("params_json", pa.string()),
    pa.field("created_at", pa.timestamp("us", tz="UTC")),
)


def make_schema(fields: Sequence[pa.Field], *, workload: str, open_columns: bool = False
                ) -> pa.Schema:
    """The common columns followed by a workload's own columns. With ``open_columns``
    rows may carry further columns whose types are inferred from their first values and
    then held (:mod:`qray.results.held`): the rows of a user's experiment."""
    metadata = {"qray.workload": workload}
    if open_columns:
        metadata[OPEN_KEY] = "true"
    return pa.schema([*COMMON_FIELDS, *fields], metadata=metadata)


#: schema metadata of a workload whose rows may add columns of their own
OPEN_KEY = "qray.open_columns"


def is_open(schema: pa.Schema | None) -> bool:
    """Whether ``schema`` lets rows add columns beyond its own (``open_columns``)."""
    return schema is not None and (schema.metadata or {}).get(OPEN_KEY.encode()) == b"true"


def rows_to_table(rows: Iterable[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """Build a table with exactly ``schema``; unknown keys in a row are an error."""
    rows = list(rows)
    names = set(schema.names)
    for row in rows:
        extra = set(row) - names
        if extra:
            raise ValueError(f"row has columns not in the schema: {sorted(extra)}")
        if row.get("status") not in STATUSES:
            raise ValueError(f"row status {row.get('status')!r} not in {STATUSES}")
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    if "error" in columns:  # tracebacks relayed by Ray carry terminal colour codes
        columns["error"] = [plain_text(e) for e in columns["error"]]
    return pa.Table.from_pydict(columns, schema=schema)


_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def plain_text(text: str | None) -> str | None:
    """``text`` without ANSI escape sequences (colour codes)."""
    return None if text is None else _ANSI.sub("", text)


def common_row(spec: Mapping[str, Any], *, workload: str, actor: str) -> dict[str, Any]:
    """The common identifying columns of a task's row, from its wire spec (status
    ``error`` until the task runs)."""
    return {
        "sweep_id": spec.get("sweep_id", ""),
        "workload": workload,
        "task_id": spec["task_id"],
        "point_id": spec.get("point_id", ""),
        "status": "error",
        "seed": spec["seed"],
        "actor": actor,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "params_json": json.dumps(dict(spec["params"]), sort_keys=True),
    }
