"""Result rows: Arrow schemas, the atomic Parquet writer and the dataset reader."""

from qray.results.layout import read_ids
from qray.results.reader import DatasetProblem, read_dataset
from qray.results.schema import COMMON_FIELDS, make_schema, rows_to_table
from qray.results.writer import update_latest, write_table_atomic

__all__ = [
    "COMMON_FIELDS",
    "DatasetProblem",
    "make_schema",
    "read_dataset",
    "read_ids",
    "rows_to_table",
    "update_latest",
    "write_table_atomic",
]
