"""The experiment's rows: qray's common columns and ``repetition``, then one column per
grid and params key and one per returned key (an open schema: their types are inferred
from the first values and then held, :mod:`qray.results.held`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from qray.results import make_schema

SCHEMA = make_schema([pa.field("repetition", pa.int64())], workload="experiment",
                     open_columns=True)


def identifying_columns(params: Mapping[str, Any]) -> dict[str, Any]:
    """A task's grid and params values and its repetition: the columns its row has
    whatever happens to the task."""
    return {**dict(params["call"]), "repetition": params["repetition"]}
