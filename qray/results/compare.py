"""Comparing two sweeps cell by cell: ``qray compare A B`` (``python -m qray compare``).

Both sweeps are read with :func:`qray.results.load`. A *cell* is one grid point without
its repetitions: the task parameters that are row columns (from each row's
``params_json``; for simulators backend, circuit, n_qubits, depth, noise, noise_2q,
readout_error, shots), never the repetition, seeds, timings or provenance. For every
cell both sweeps ran, the metric's median in B over its median in A is reported with a
seeded bootstrap 95 % interval (the two sweeps' repetitions resampled independently), so
a ratio whose interval excludes 1 is a change beyond the repetitions' spread.

Only rows with status ``ok`` count. The ``settings`` label of simulator rows (threads,
backend options, warmup, library version) is not part of a cell, so a sweep rerun with
two threads or a new library version is compared with the old one; the settings that
differ are listed beside the ratios. Where one sweep measured a cell under several
settings, ``settings`` joins the cell columns so that they are not pooled.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from qray.errors import QrayError, closest
from qray.provenance import differences
from qray.results.load import find_sweep, load
from qray.results.schema import COMMON_FIELDS
from qray.results.stats import FEW_MARK, MIN_VALUES, few, format_interval, ratio_ci
from qray.results.tables import markdown_table
from qray.results.writer import write_text_atomic

log = logging.getLogger(__name__)

#: the metric compared when none is asked for: the first of these both sweeps have
DEFAULT_METRICS = ("run_s", "wall_s")
#: columns never part of a cell: a run's identity, outcome and measurements
NOT_CELL = {f.name for f in COMMON_FIELDS} | {"repetition", "settings"}
MARKDOWN = "compare.md"
CSV = "compare.csv"
#: the ``change`` of a cell with fewer than MIN_VALUES values on a side
TOO_FEW = "too few values"
PNG = "compare.png"


class CompareError(QrayError):
    """Two sweeps cannot be compared: no shared cells, or a metric they lack."""


@dataclass(frozen=True)
class Side:
    """One of the two sweeps: where it is, its id, its ok rows and its provenance."""

    path: Path
    sweep_id: str
    rows: pd.DataFrame
    provenance: dict[str, Any]


@dataclass
class Comparison:
    """The per-cell ratios of sweep B to sweep A.

    ``table`` has the cell columns, then ``runs_a``, ``runs_b``, ``median_a``,
    ``median_b``, ``ratio`` (median B / median A), ``ci_low``, ``ci_high`` and ``change``
    (``lower``/``higher`` where the interval excludes 1, else empty).
    """

    a: Side
    b: Side
    metric: str
    cells: list[str]
    table: pd.DataFrame
    only_a: int = 0
    only_b: int = 0
    level: float = 0.95
    settings: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def shown(self) -> list[str]:
        """The cell columns whose value varies between cells (all when none does)."""
        varying = [c for c in self.cells if self.table[c].astype(str).nunique() > 1]
        return varying or list(self.cells)

    @property
    def geometric_mean(self) -> float:
        """The geometric mean of the finite positive ratios (NaN without any)."""
        r = self.table["ratio"].to_numpy(dtype=float)
        r = r[np.isfinite(r) & (r > 0)]
        return float(np.exp(np.log(r).mean())) if r.size else float("nan")

    @property
    def provenance_changes(self) -> dict[str, list[Any]]:
        """What differs between the provenance of A and of B (``qray.provenance``)."""
        if not self.a.provenance or not self.b.provenance:
            return {}
        return differences(self.a.provenance, self.b.provenance)


def cell_columns(df: pd.DataFrame) -> list[str]:
    """The columns that name a cell of ``df``'s sweep: the keys of the rows' task
    parameters (``params_json``; where none of them is a column, the keys of the mappings
    nested in them) that are also columns, in the rows' column order;
    without ``params_json``, the string, integer and boolean columns that are not
    common, repetition, timing (``*_s``) or provenance columns."""
    keys: set[str] = set()
    nested: set[str] = set()
    if "params_json" in df.columns:
        for text in df["params_json"].dropna().unique()[:500]:
            try:
                params = json.loads(text)
            except (TypeError, json.JSONDecodeError):
                continue
            if isinstance(params, dict):
                keys.update(params)
                for value in params.values():
                    if isinstance(value, dict):
                        nested.update(value)
    provenance = set(df.attrs.get("provenance") or {})
    if keys and not any(k in df.columns and k not in NOT_CELL for k in keys):
        keys = nested  # the arguments are one level down (an experiment's call)
    out = []
    for col in df.columns:
        if col in NOT_CELL or col in provenance or "seed" in col:
            continue
        if keys:
            if col in keys:
                out.append(col)
            continue
        kind = df[col].dtype.kind
        if (kind in "biuO" or pd.api.types.is_string_dtype(df[col])) and not col.endswith(
                ("_s", "_mb", "_json")) and not _holds_lists(df[col]):
            out.append(col)
    return out


def _holds_lists(col: pd.Series) -> bool:
    first = col.dropna()
    return not first.empty and isinstance(first.iloc[0], list | tuple | np.ndarray | dict)


def _cell_ids(df: pd.DataFrame, cells: Sequence[str]) -> pd.Series:
    """One JSON text per row naming its cell (NaN and None alike, ints of any width)."""
    def plain(v: Any) -> Any:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return v.item() if isinstance(v, np.generic) else v

    values = df[list(cells)].astype(object).to_numpy()
    return pd.Series([json.dumps([plain(v) for v in row], default=str) for row in values],
                     index=df.index)


def _side(path: str | Path) -> Side:
    sweep = find_sweep(path)
    df = load(path)
    ok = df[df["status"] == "ok"] if "status" in df.columns else df
    ok.attrs = df.attrs
    return Side(sweep.sweep_dir, sweep.sweep_id, ok, sweep.provenance)


def _metric(a: pd.DataFrame, b: pd.DataFrame, metric: str | None) -> str:
    numeric = [c for c in a.columns if c in b.columns and pd.api.types.is_numeric_dtype(a[c])
               and pd.api.types.is_numeric_dtype(b[c]) and not pd.api.types.is_bool_dtype(a[c])]
    if metric is None:
        for name in DEFAULT_METRICS:
            if name in numeric:
                return name
        raise CompareError("no default metric (run_s, wall_s) in both sweeps; pass --metric, "
                           f"one of: {', '.join(numeric) or 'none'}")
    if metric not in numeric:
        hint = closest(metric, numeric)
        raise CompareError(f"metric {metric!r} is not a numeric column of both sweeps; allowed: "
                           f"{', '.join(numeric) or 'none'}"
                           + (f"; did you mean {hint!r}?" if hint else ""))
    return metric


def compare(a: str | Path, b: str | Path, *, metric: str | None = None, level: float = 0.95,
            n_boot: int = 2000, seed: int = 0) -> Comparison:
    """Compare sweep ``b`` with sweep ``a``, cell by cell.

    Args:
        a: the baseline sweep (any path :func:`qray.results.load` takes).
        b: the sweep compared with it.
        metric: the numeric column compared; default ``run_s`` (simulators' run time),
            else ``wall_s``.
        level: the bootstrap interval's coverage.
        n_boot: bootstrap resamples per cell.
        seed: seeds every cell's bootstrap (the same sweeps give the same intervals).

    Raises:
        NoDatasetError: a path holds no sweep rows.
        CompareError: the sweeps share no cell, or lack the metric.
    """
    side_a, side_b = _side(a), _side(b)
    name = _metric(side_a.rows, side_b.rows, metric)
    cells = [c for c in cell_columns(side_a.rows) if c in set(cell_columns(side_b.rows))]
    if not cells:
        raise CompareError(f"{side_a.path} and {side_b.path} share no cell columns (their rows "
                           "come from different workloads?)")
    if "settings" in side_a.rows.columns and "settings" in side_b.rows.columns and any(
            s.rows.groupby(_cell_ids(s.rows, cells))["settings"].nunique().gt(1).any()
            for s in (side_a, side_b) if not s.rows.empty):
        cells.append("settings")
    rows_a = side_a.rows.dropna(subset=[name])
    rows_b = side_b.rows.dropna(subset=[name])
    groups_a = dict(list(rows_a.groupby(_cell_ids(rows_a, cells), sort=True)))
    groups_b = dict(list(rows_b.groupby(_cell_ids(rows_b, cells), sort=True)))
    shared = [k for k in groups_a if k in groups_b]
    if not shared:
        raise CompareError(f"{side_a.path} and {side_b.path} share no cell with {name!r} values "
                           f"(cells by {', '.join(cells)}: {len(groups_a)} in A, "
                           f"{len(groups_b)} in B, none in both)")
    records, settings = [], []
    for key in shared:
        ga, gb = groups_a[key], groups_b[key]
        va, vb = ga[name].to_numpy(dtype=float), gb[name].to_numpy(dtype=float)
        ratio, low, high = ratio_ci(vb, va, level=level, n_boot=n_boot, seed=seed)
        if min(len(va), len(vb)) < MIN_VALUES:  # a bootstrap of 3 values concludes nothing
            change = TOO_FEW
        else:
            change = "lower" if high < 1.0 else "higher" if low > 1.0 else ""
        cell = dict(zip(cells, json.loads(key), strict=True))
        records.append({**cell, "runs_a": len(va), "runs_b": len(vb),
                        "median_a": float(np.median(va)), "median_b": float(np.median(vb)),
                        "ratio": ratio, "ci_low": low, "ci_high": high, "change": change})
        if "settings" in ga.columns and "settings" not in cells:
            sa = ", ".join(sorted(ga["settings"].dropna().astype(str).unique())) or "unrecorded"
            sb = ", ".join(sorted(gb["settings"].dropna().astype(str).unique())) or "unrecorded"
            if sa != sb:
                settings.append({**cell, "settings_a": sa, "settings_b": sb})
    table = pd.DataFrame(records)
    settings_df = pd.DataFrame(settings)
    return Comparison(side_a, side_b, name, cells, table, only_a=len(groups_a) - len(shared),
                      only_b=len(groups_b) - len(shared), level=level, settings=settings_df)


def comparison_markdown(comp: Comparison) -> str:
    """``compare.md``: the sweeps, the per-cell ratios with intervals, what differs."""
    pct = f"{comp.level * 100:g} %"
    n_low = int((comp.table["change"] == "lower").sum())
    n_high = int((comp.table["change"] == "higher").sum())
    n_few = int((comp.table["change"] == TOO_FEW).sum())
    lines = [
        f"# Compare `{comp.a.sweep_id}` (A) with `{comp.b.sweep_id}` (B): `{comp.metric}`", "",
        f"- A: `{comp.a.path}` ({len(comp.a.rows)} ok rows)",
        f"- B: `{comp.b.path}` ({len(comp.b.rows)} ok rows)", "",
        f"Ratio = median `{comp.metric}` of B / median of A per cell, with a bootstrap {pct} "
        "interval (each sweep's repetitions resampled independently, seeded). For a time, "
        "below 1 means B is faster.", "",
        f"{len(comp.table)} shared cell(s) (by {', '.join(comp.cells)}); {comp.only_a} only in "
        f"A, {comp.only_b} only in B. Geometric mean of the ratios: "
        f"{comp.geometric_mean:.3g}. Interval below 1 in {n_low} cell(s), above 1 in "
        f"{n_high}" + (f"; {n_few} cell(s) have fewer than {MIN_VALUES} values on a side, "
                       "too few to conclude either way (marked "
                       f"{FEW_MARK})" if n_few else "") + ".", "",
    ]
    shown = comp.table[comp.shown].copy()
    shown["runs A/B"] = [f"{x}/{y}" for x, y in zip(comp.table["runs_a"], comp.table["runs_b"],
                                                    strict=True)]
    shown[f"median A [{comp.metric}]"] = comp.table["median_a"]
    shown[f"median B [{comp.metric}]"] = comp.table["median_b"]
    shown[f"B/A [{pct}]"] = [format_interval(r, lo, hi) + few(min(x, y))
                             for r, lo, hi, x, y in
                             zip(comp.table["ratio"], comp.table["ci_low"],
                                 comp.table["ci_high"], comp.table["runs_a"],
                                 comp.table["runs_b"], strict=True)]
    shown["change"] = comp.table["change"]
    lines += ["## Ratios per cell", "", markdown_table(shown, index=False), ""]
    if not comp.settings.empty:
        lines += ["## Measured under other settings", "",
                  markdown_table(comp.settings[[*comp.shown, "settings_a", "settings_b"]]
                                 .drop_duplicates(), index=False), ""]
    lines += ["## Provenance differences (A -> B)", ""]
    changes = comp.provenance_changes
    if not comp.a.provenance or not comp.b.provenance:
        lines += ["Not known: a sweep has no provenance in its sweep.json.", ""]
    elif not changes:
        lines += ["None: same host, hardware and versions.", ""]
    else:
        diff = pd.DataFrame([{"field": k, "A": str(v[0]), "B": str(v[1])}
                             for k, v in changes.items()])
        lines += [markdown_table(diff, index=False), ""]
    return "\n".join(lines)


def plot_comparison(comp: Comparison, path: Path) -> Path:
    """The ratio of every shared cell with its interval, log scale, a line at 1. Drawn
    on its own ``Figure`` (no pyplot state)."""
    from qray import plotstyle

    t = comp.table
    labels = [" ".join(f"{c}={v}" if c not in ("backend", "circuit") else str(v)
                       for c, v in zip(comp.shown, row, strict=True))
              for row in t[comp.shown].itertuples(index=False)]
    x = np.arange(len(t))
    ratio = t["ratio"].to_numpy(dtype=float)
    yerr = np.vstack([ratio - t["ci_low"].to_numpy(dtype=float),
                      t["ci_high"].to_numpy(dtype=float) - ratio])
    yerr = np.where(np.isfinite(yerr), yerr, 0.0).clip(min=0)
    fig, axes = plotstyle.figure(width=max(6.0, 0.32 * len(t) + 2.0), height=4.5)
    ax = axes[0][0]
    colors = ["tab:green" if c == "lower" else "tab:red" if c == "higher" else "tab:gray"
              for c in t["change"]]
    ax.errorbar(x, ratio, yerr=yerr, fmt="none", ecolor="0.4", capsize=3)
    ax.scatter(x, ratio, c=colors, zorder=3)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(x, labels, rotation=90, fontsize=7)
    ax.set_ylabel(f"median {comp.metric}: B / A ({comp.level * 100:g} % interval)")
    ax.set_title(f"{comp.b.sweep_id} vs {comp.a.sweep_id}")
    ax.grid(True, axis="y", which="both", alpha=0.3)
    return plotstyle.save(fig, path)


def write_comparison(comp: Comparison, out: str | Path | None = None) -> list[Path]:
    """Write ``compare.md``, ``compare.csv`` and ``compare.png`` into ``out`` (default:
    B's sweep folder, beside its summary); returns the paths."""
    folder = Path(out) if out is not None else comp.b.path
    folder.mkdir(parents=True, exist_ok=True)
    md = write_text_atomic(comparison_markdown(comp) + "\n", folder / MARKDOWN)
    csv = folder / CSV
    comp.table.to_csv(csv, index=False)
    png = plot_comparison(comp, folder / PNG)
    log.info("compared %s with %s: %d cells, written to %s", comp.b.sweep_id, comp.a.sweep_id,
             len(comp.table), folder)
    return [md, csv, png]
