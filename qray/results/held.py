"""Columns whose types are inferred from the rows, then held.

A workload with an open schema (``make_schema(..., open_columns=True)``: a user's
experiment) writes rows that carry columns beyond the schema's own. Each such column's
Arrow type is taken from the first non-null value any task of the folder returned for it
and recorded in ``<folder>/columns.json`` (under the folder's rows lock, so concurrent
trials agree). A later row whose value has another type becomes an ``error`` row naming
the column and both types: never a silent cast. The one widening accepted is an integer
into a ``float64`` column (exact below 2**53).

Values a column may hold: booleans, integers, floats, strings and lists of numbers
(held as ``list<double>``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import pyarrow as pa

from qray.results.layout import rows_lock
from qray.results.schema import STATUSES, rows_to_table
from qray.results.writer import write_text_atomic

#: the file that holds a folder's inferred column types (name -> type name), in order
COLUMNS_FILE = "columns.json"

#: type names -> Arrow types
TYPES: dict[str, pa.DataType] = {
    "bool": pa.bool_(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "string": pa.string(),
    "list<float64>": pa.list_(pa.float64()),
}
ALLOWED = "a number, a bool, a string or a list of numbers"


def type_name(value: Any) -> str | None:
    """The held type of a (plain Python) value, None for None; ValueError for a value
    that no column may hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value):
        return "list<float64>"
    raise ValueError(f"a {type(value).__name__} ({_short(value)}); allowed: {ALLOWED}")


def fits(held: str, found: str) -> bool:
    """Whether a value of type ``found`` goes into a column held as ``held``."""
    return held == found or (held == "float64" and found == "int64")


def read_held(folder: str | Path) -> dict[str, str]:
    """The folder's held column types (empty when none were recorded yet)."""
    path = Path(folder) / COLUMNS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items() if v in TYPES}


def held_schema(schema: pa.Schema, held: Mapping[str, str]) -> pa.Schema:
    """``schema`` followed by the held columns it does not have."""
    extra = [pa.field(n, TYPES[t]) for n, t in held.items() if n not in schema.names]
    return pa.schema([*schema, *extra], metadata=schema.metadata)


def check_rows(rows: Iterable[MutableMapping[str, Any]], schema: pa.Schema,
               held: MutableMapping[str, str]) -> bool:
    """Hold the types of the rows' extra columns in ``held`` (new columns are added);
    a row with a value of another type than its column's becomes an ``error`` row (the
    value set to None). Returns whether ``held`` grew."""
    grew = False
    for row in rows:
        for name in [n for n in row if n not in schema.names]:
            try:
                found = type_name(row[name])
            except ValueError as exc:
                _fail(row, name, f"column {name!r} got {exc}")
                continue
            if found is None:
                continue
            have = held.get(name)
            if have is None:
                held[name] = found
                grew = True
            elif not fits(have, found):
                _fail(row, name, f"column {name!r} got a {found} value ({_short(row[name])}), "
                                 f"but earlier tasks gave it {have}: a column's type is held "
                                 f"once inferred (return one type, e.g. float(x))")
            elif have == "float64" and found == "int64":
                row[name] = float(row[name])
    return grew


def table_of(rows: list[MutableMapping[str, Any]], schema: pa.Schema,
             folder: str | Path) -> pa.Table:
    """The Arrow table of ``rows`` for ``folder``: exactly ``schema`` for a closed schema;
    for an open one, ``schema`` plus every held column, after :func:`check_rows` against
    the folder's held types (recorded atomically under the rows lock)."""
    from qray.results.schema import is_open

    if not is_open(schema):
        return rows_to_table(rows, schema)
    folder = Path(folder)
    with rows_lock(folder):
        held = read_held(folder)
        if check_rows(rows, schema, held):
            write_text_atomic(json.dumps(held, indent=1), folder / COLUMNS_FILE)
    return rows_to_table(rows, held_schema(schema, held))


def _fail(row: MutableMapping[str, Any], name: str, message: str) -> None:
    row[name] = None
    if row.get("status") in STATUSES and row.get("status") != "ok":
        return  # already an error row: keep its first reason
    row["status"] = "error"
    row["error"] = message


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
