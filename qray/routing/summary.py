"""Summary of a ``routing`` sweep: per (coupling map, family, size, router) the mean SWAPs,
depth and routing time, and how many routed circuits were verified; the learned router
next to SABRE-1, SABRE-20 and the lookahead baseline; a plot of mean SWAPs."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from qray.results import read_dataset
from qray.results.tables import markdown_table
from qray.results.writer import write_text_atomic
from qray.routing.rows import SCHEMA, WORKLOAD
from qray.summary import Summary, header_lines

log = logging.getLogger(__name__)

ORDER = ("ppo", "lookahead", "sabre-1", "sabre-20")


def router_order(names: list[str]) -> list[str]:
    return sorted(names, key=lambda r: (ORDER.index(r) if r in ORDER else len(ORDER), r))


def summary_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (map, family, size, router): the distinct circuit instances (n), how
    many verified, mean SWAPs with the half-width of their 95 % t interval over the
    instances (NaN for one instance), mean depth, two-qubit depth and routing time."""
    g = df.groupby(["coupling_map", "family", "n_qubits", "router"], sort=True)
    t = g.agg(circuits=("instance", "nunique"), verified=("verified", "sum"),
              swaps=("swaps", "mean"), swaps_sd=("swaps", "std"), depth=("depth", "mean"),
              depth_2q=("depth_2q", "mean"),
              depth_in=("depth_in", "mean"), route_ms=("route_s", "mean")).reset_index()
    n = t["circuits"].to_numpy()
    t_crit = np.where(n > 1, student_t.ppf(0.975, np.maximum(n - 1, 1)), np.nan)
    t.insert(t.columns.get_loc("swaps") + 1, "swaps_ci95",
             t_crit * t.pop("swaps_sd").to_numpy() / np.sqrt(n))
    t["route_ms"] *= 1000
    t["verified"] = t["verified"].astype(int)
    t["_o"] = t["router"].map(lambda r: router_order(list(ORDER) + [r]).index(r))
    return t.sort_values(["coupling_map", "family", "n_qubits", "_o"]).drop(columns="_o")


def summarize(sweep_dir: Path) -> Summary:
    table, problems = read_dataset(sweep_dir / WORKLOAD, schema=SCHEMA)
    df = table.to_pandas()
    lines = header_lines(sweep_dir, WORKLOAD, problems)
    files: list[Path] = []
    if len(df):
        df["verified"] = df["verified"].fillna(False).astype(bool)
        n, good = len(df), int(df["verified"].sum())
        verdict = "yes" if good == n else "NO"
        lines += [f"**All routed circuits verified: {verdict}** ({good} of {n}: every "
                  "two-qubit gate on adjacent qubits, and the SWAP replay gives back the "
                  "original circuit and the final layout).", ""]
        ok = df[df["status"] == "ok"]
        if len(ok):
            t = summary_table(df[df["verified"]])
            lines += ["Mean per verified circuit (SWAPs added with the half-width of its 95 % "
                      "t interval over the `circuits` distinct instances, depth and two-qubit "
                      "depth after routing, routing time). Families with one circuit per "
                      "size (qft, ghz, mqt-*) have one instance and no interval.", "",
                      markdown_table(t, index=False, floatfmt="{:.4g}"), ""]
            csv = sweep_dir / "routing_summary.csv"
            t.to_csv(csv, index=False)
            files += [csv, _plot(t, sweep_dir / "routing_swaps.png")]
        bad = df[~df["verified"]]
        if len(bad):
            lines += [f"{len(bad)} circuit(s) not routed or not verified, e.g.: "
                      f"{bad['router'].iloc[0]} on {bad['coupling_map'].iloc[0]}: "
                      f"{bad['error'].iloc[0]}", "rerun failed rows with --rerun-failed"]
    md = "\n".join(lines) + "\n"
    path = write_text_atomic(md, sweep_dir / "summary.md")
    return Summary(sweep_dir, md, [path, *files])


def _plot(t: pd.DataFrame, path: Path) -> Path:
    """Mean SWAPs per (map, family, size), a bar per router with its 95 % interval over
    the instances and n above it."""
    from qray import plotstyle

    groups = t.groupby(["coupling_map", "family", "n_qubits"], sort=True)
    routers = router_order(sorted(t["router"].unique()))
    fig, axes = plotstyle.figure(width=max(6.0, 0.9 * groups.ngroups + 2), height=4)
    ax = axes[0][0]
    width = 0.8 / max(len(routers), 1)
    labels = []
    for gi, (key, g) in enumerate(groups):
        labels.append(f"{key[0]}\n{key[1]} {key[2]}q")
        for ri, r in enumerate(routers):
            row = g[g["router"] == r]
            if not len(row):
                continue
            mean, ci, n = (float(row["swaps"].iloc[0]), float(row["swaps_ci95"].iloc[0]),
                           int(row["circuits"].iloc[0]))
            x = gi + ri * width
            ax.bar(x, mean, width, color=f"C{ri}",
                   yerr=None if np.isnan(ci) else ci, capsize=2,
                   label=r if r not in ax.get_legend_handles_labels()[1] else None)
            ax.annotate(f"{n}", (x, mean + (0 if np.isnan(ci) else ci)),
                        textcoords="offset points", xytext=(0, 2), ha="center", fontsize=6)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(labels))], labels, fontsize=7)
    ax.set_ylabel("mean SWAPs added (bars: 95 % CI)")
    ax.set_title("routers on the same verified circuits (n instances above each bar)")
    ax.legend(fontsize=8)
    return plotstyle.save(fig, path)
