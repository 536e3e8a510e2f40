"""The coin-flip rows."""

import pyarrow as pa

from qray.results import make_schema

SCHEMA = make_schema([pa.field("coin", pa.string()), pa.field("p", pa.float64()),
                      pa.field("flips", pa.int64()), pa.field("repetition", pa.int64()),
                      pa.field("heads", pa.int64())], workload="coinflip")
