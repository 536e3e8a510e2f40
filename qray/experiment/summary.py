"""The experiment's summary: rows by status; for each numeric output, its median and
interquartile range over the repetitions by grid point (the first grid key across), and
a plot of it against the first numeric grid key, one line per combination of the others.

Only ``ok`` rows enter the tables and plots; each table says how many repetitions each
cell pools and names the keys it holds fixed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from qray.experiment.rows import SCHEMA
from qray.plotstyle import colors, figure, integer_ticks, median_iqr, save, title
from qray.results import read_dataset
from qray.results.folder import read_manifest
from qray.results.stats import FEW_NOTE, MIN_VALUES, few
from qray.results.writer import write_text_atomic
from qray.summary import Summary, header_lines

log = logging.getLogger(__name__)

#: lines drawn per plot at most (combinations of the other grid keys)
MAX_LINES = 8


def summarize(sweep_dir: Path) -> Summary:
    """Write ``summary.md``, ``<output>.csv`` and ``<output>.png``/``.svg`` per numeric
    output."""
    sweep_dir = Path(sweep_dir)
    config = (read_manifest(sweep_dir / "sweep.json").get("config") or {}) \
        if (sweep_dir / "sweep.json").is_file() else {}
    table, problems = read_dataset(sweep_dir / "experiment", schema=SCHEMA)
    df = table.to_pandas()
    grid = list(config.get("grid_keys") or (config.get("grid") or {}).keys())
    params = dict(config.get("params") or {})
    lines = header_lines(sweep_dir, "experiment", problems)
    lines += [f"Experiment `{config.get('experiment', '?')}` "
              f"(code {str(config.get('experiment_id', '?')).split('@')[-1][:23]}), "
              f"{config.get('repetitions', '?')} repetition(s) per grid point"
              + (f"; fixed params: {_fixed(params)}" if params else "") + ".", ""]
    files: list[Path] = []
    lines += _status_section(df)
    ok = df[df["status"] == "ok"] if "status" in df.columns else df
    outputs = numeric_outputs(df, grid, params)
    if ok.empty or not outputs:
        lines += ["No numeric outputs in `ok` rows to tabulate.", ""]
    for out in outputs:
        md, csv = output_table(ok, out, grid)
        lines += [f"## `{out}`: median [q1–q3] over repetitions", "", md, ""]
        csv_path = sweep_dir / f"{out}.csv"
        csv.to_csv(csv_path, index=False)
        files.append(csv_path)
        plot = _plot(ok, out, grid, sweep_dir, params)
        if plot is not None:
            lines += [plot[1], ""] if plot[1] else []
            lines += [f"![{out}]({plot[0].name})", ""]
            files.append(plot[0])
    errors = df[df["status"].isin(["error", "timeout"])] if "status" in df.columns else df[:0]
    if not errors.empty:
        lines += ["## First errors", ""]
        for msg, n in errors["error"].fillna("").map(lambda e: e.splitlines()[0] if e else "")\
                .value_counts().head(5).items():
            lines.append(f"- {n} row(s): `{msg[:200]}`")
        lines.append("")
    md = "\n".join(lines) + "\n"
    files.insert(0, write_text_atomic(md, sweep_dir / "summary.md"))
    return Summary(sweep_dir, md, files)


def numeric_outputs(df: pd.DataFrame, grid: list[str], params: dict[str, Any]) -> list[str]:
    """The returned columns holding numbers (not the grid's, params', or qray's own)."""
    from qray.experiment.config import RESERVED

    out = []
    for col in df.columns:
        if col in RESERVED or col in grid or col in params:
            continue
        if pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
            out.append(col)
    return out


def _status_section(df: pd.DataFrame) -> list[str]:
    """Rows by status, one line (before the first section, so the short summary a
    sweep prints shows it with the first output's table)."""
    counts = df["status"].value_counts() if "status" in df.columns else pd.Series(dtype=int)
    parts = ", ".join(f"{n} {s}" for s, n in counts.items()) or "none"
    return [f"Rows by status: {parts} ({len(df)} in all).", ""]


def output_table(ok: pd.DataFrame, out: str, grid: list[str]) -> tuple[str, pd.DataFrame]:
    """The markdown table of ``out`` (rows: the other grid keys; columns: the first grid
    key's values; cells ``median [q1–q3] (n)``) and its long CSV form."""
    keys = [k for k in grid if k in ok.columns]
    data = ok[[*keys, out]].dropna(subset=[out])
    # statistic names with a space: they cannot collide with a grid key (an identifier)
    med, lo, hi, n = f"{out} median", f"{out} q1", f"{out} q3", "ok rows"

    def agg(s: pd.Series) -> pd.Series:
        return pd.Series({med: s.median(), lo: s.quantile(0.25), hi: s.quantile(0.75),
                          n: int(s.count())})

    if keys:
        stats = data.groupby(keys, dropna=False)[out].apply(agg).unstack().reset_index()
    else:
        stats = agg(data[out]).to_frame().T
    if stats.empty:
        return "(no values)", stats
    counts = stats[n].astype(int)
    same = counts.nunique() == 1  # then the caption states n once
    stats["cell"] = [f"{m:.4g} [{a:.4g}–{b:.4g}]" + few(k) + ("" if same else f" ({k} rows)")
                     for m, a, b, k in zip(stats[med], stats[lo], stats[hi], counts,
                                           strict=True)]
    pooled = (f"Each cell pools {counts.iloc[0]} ok row(s) (its repetitions)." if same else
              "Each cell pools the ok rows in brackets (its repetitions).")
    if (counts < MIN_VALUES).any():
        pooled += " " + FEW_NOTE
    if not keys:
        return (pooled + "\n\n| all |\n|---|\n| " + stats["cell"].iloc[0] + " |",
                stats.drop(columns="cell"))
    across, down = keys[0], keys[1:]
    wide = stats.pivot_table(index=down or None, columns=across, values="cell",
                             aggfunc="first") if down else \
        stats.set_index(across)[["cell"]].T
    head_vals = [_fmt(v) for v in wide.columns]
    first = " | ".join(down) if down else "grid"
    md = [f"| {first} \\ {across} | " + " | ".join(head_vals) + " |",
          "|" + "---|" * (len(head_vals) + 1)]
    for idx, row in wide.iterrows():
        label = " | ".join(_fmt(v) for v in (idx if isinstance(idx, tuple) else (idx,))) \
            if down else "all"
        if down and len(down) > 1:
            label = ", ".join(f"{k}={_fmt(v)}" for k, v in zip(down, idx, strict=True))
        md.append(f"| {label} | " + " | ".join(str(c) if isinstance(c, str) else "–"
                                               for c in row.tolist()) + " |")
    return pooled + "\n\n" + "\n".join(md), stats.drop(columns="cell")


def _plot(ok: pd.DataFrame, out: str, grid: list[str], sweep_dir: Path,
          fixed: dict[str, Any]) -> tuple[Path, str] | None:
    """``out`` against the first numeric grid key, a line per combination of the other
    keys (at most ``MAX_LINES``), median with interquartile bars; the fixed params in
    the title."""
    numeric = [k for k in grid if k in ok.columns and pd.api.types.is_numeric_dtype(ok[k])
               and not pd.api.types.is_bool_dtype(ok[k])]
    if not numeric or ok[out].dropna().empty:
        return None
    x = numeric[0]
    others = [k for k in grid if k != x and k in ok.columns]
    groups = list(ok.groupby(others, dropna=False)) if others else [((), ok)]
    note = ""
    if len(groups) > MAX_LINES:
        note = (f"The plot of `{out}` shows the first {MAX_LINES} of {len(groups)} "
                f"combinations of {', '.join(others)}; the table has them all.")
        groups = groups[:MAX_LINES]
    fig, axes = figure(1, 1, width=6.4, height=4.2)
    ax = axes[0][0]
    labels = [_label(others, k) for k, _ in groups]
    palette = colors(labels, keep_order=True)
    for (_, g), label in zip(groups, labels, strict=True):
        stats = g.groupby(x)[out].agg(["median", lambda s: s.quantile(0.25),
                                       lambda s: s.quantile(0.75)]).dropna()
        if stats.empty:
            continue
        xs = stats.index.to_numpy(dtype=float)
        median_iqr(ax, xs, stats.iloc[:, 0], stats.iloc[:, 1], stats.iloc[:, 2],
                   label=label or out, color=palette[label])
    if pd.api.types.is_integer_dtype(ok[x]):
        integer_ticks(ax, ok[x].dropna().unique())
    ax.set_xlabel(x)
    ax.set_ylabel(out)
    title(ax, f"{out} vs {x} (median, IQR bars, ok rows)", fixed)
    if others:
        ax.legend(fontsize=8, title=", ".join(others), title_fontsize=8)
    path = save(fig, sweep_dir / f"{out}_vs_{x}.png")
    return path, note


def _label(keys: list[str], values: Any) -> str:
    values = values if isinstance(values, tuple) else (values,)
    return ", ".join(f"{k}={_fmt(v)}" for k, v in zip(keys, values, strict=False))


def _fmt(v: Any) -> str:
    if isinstance(v, float | np.floating):
        return f"{v:g}"
    return str(v)


def _fixed(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_fmt(v)}" for k, v in params.items())
