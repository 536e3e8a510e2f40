"""Small helpers for summary tables (markdown rendering)."""

from __future__ import annotations

import math

import pandas as pd


def markdown_table(df: pd.DataFrame, *, floatfmt: str = "{:.3g}", index: bool = True) -> str:
    """Render a DataFrame as a GitHub markdown table (no extra dependency)."""
    if index:
        df = df.reset_index()
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        cells = []
        for v in row:
            if isinstance(v, float):
                cells.append("" if math.isnan(v) else floatfmt.format(v))
            else:
                cells.append(str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
