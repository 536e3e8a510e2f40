"""The experiment summary marks a cell pooled from fewer than 5 repetitions."""

from __future__ import annotations

import pandas as pd

from qray.experiment.summary import output_table
from qray.results.stats import FEW_MARK, FEW_NOTE


def test_cells_from_few_repetitions_are_marked_and_footnoted() -> None:
    ok = pd.DataFrame({"n": [2] * 3 + [3] * 5, "y": [1.0, 2.0, 3.0, 1, 2, 3, 4, 5]})
    md, stats = output_table(ok, "y", ["n"])
    assert "2 [1.5–2.5]" + FEW_MARK in md and "3 [2–4] (5 rows)" in md
    assert FEW_NOTE in md
    five = pd.DataFrame({"n": [2] * 5, "y": [1.0, 2, 3, 4, 5]})
    md, _ = output_table(five, "y", ["n"])
    assert FEW_MARK not in md
