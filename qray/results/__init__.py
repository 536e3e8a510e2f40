"""Result rows: Arrow schemas, the atomic Parquet writer, the dataset reader and
:func:`load` (a sweep's rows as a DataFrame)."""

from qray.results.layout import read_ids
from qray.results.load import NoDatasetError, load
from qray.results.reader import DatasetProblem, read_dataset
from qray.results.schema import COMMON_FIELDS, make_schema, rows_to_table
from qray.results.writer import update_latest, write_table_atomic

__all__ = [
    "COMMON_FIELDS",
    "DatasetProblem",
    "NoDatasetError",
    "load",
    "make_schema",
    "read_dataset",
    "read_ids",
    "rows_to_table",
    "update_latest",
    "write_table_atomic",
]
