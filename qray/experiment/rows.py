"""The experiment's rows: qray's common columns and ``repetition``, then one column per
grid and params key and one per returned key (an open schema: their types are inferred
from the first values and then held, :mod:`qray.results.held`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from qray.results import make_schema
from qray.worker import crash_row as generic_crash_row

SCHEMA = make_schema([pa.field("repetition", pa.int64())], workload="experiment",
                     open_columns=True)


def identifying_columns(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A task's grid and params values and its repetition: the columns its row has
    whatever happens to the task."""
    p = spec["params"]
    return {**dict(p["call"]), "repetition": p["repetition"]}


def crash_row(spec: Mapping[str, Any], message: str) -> dict[str, Any]:
    """The ``error`` row of a task whose actor process died running it."""
    return generic_crash_row("experiment", spec, message, **identifying_columns(spec))
