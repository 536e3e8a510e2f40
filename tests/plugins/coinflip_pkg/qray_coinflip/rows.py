"""The coin-flip rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from qray.results import make_schema
from qray.worker import crash_row as generic_crash_row

SCHEMA = make_schema([pa.field("coin", pa.string()), pa.field("p", pa.float64()),
                      pa.field("flips", pa.int64()), pa.field("repetition", pa.int64()),
                      pa.field("heads", pa.int64())], workload="coinflip")


def crash_row(spec: Mapping[str, Any], message: str) -> dict[str, Any]:
    row = generic_crash_row("coinflip", spec, message)
    p = spec["params"]
    row.update(coin=p["coin"], p=p["p"], flips=p["flips"], repetition=p["repetition"])
    return row
