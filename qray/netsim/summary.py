"""Summary of a netsim sweep: efficiency tables (learner x scenario, mean +- 95 % CI over
replicates and horizons) per physics model and allocator, learned-path vs distance-path
table, regret and cumulative-reward curves, and the capacity allocation over time of the
adaptive allocators."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from qray.netsim.registry import LEARNERS, SCENARIOS
from qray.netsim.rows import SCHEMA, WORKLOAD
from qray.results import read_dataset
from qray.results.stats import FEW_NOTE, MIN_VALUES, few
from qray.results.tables import markdown_table
from qray.results.writer import write_text_atomic
from qray.summary import Summary, header_lines

log = logging.getLogger(__name__)

#: the studied code's own log (paper2, Default allocator, 5 horizons 4k-12k): efficiency %
REFERENCE = {
    "stochastic": {"GNeuralUCB": 86.5, "EXPNeuralUCB": 84.7},
    "markov": {"GNeuralUCB": 49.8, "EXPNeuralUCB": 47.5},
    "adaptive": {"GNeuralUCB": 69.8, "EXPNeuralUCB": 69.1},
    "none": {"GNeuralUCB": 90.8, "EXPNeuralUCB": 88.0},
}


def ci95(values: pd.Series) -> float:
    """Half-width of the 95 % t confidence interval of the mean (0 for one value)."""
    n = len(values)
    if n < 2:
        return 0.0
    return float(stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n))


def efficiency_stats(ok: pd.DataFrame) -> pd.DataFrame:
    """Mean efficiency, 95 % CI half-width and count per physics, allocator, learner and
    scenario (over replicates and horizons)."""
    return ok.groupby(["physics", "allocator", "learner", "scenario"])["efficiency"].agg(
        mean="mean", ci95=ci95, n="size").reset_index()


def efficiency_table(cell: pd.DataFrame) -> pd.DataFrame:
    """learner x scenario table of 'mean +- ci' strings (registry order)."""
    cell = cell.assign(text=[f"{m:.1f} ± {c:.1f}" + few(n) for m, c, n in
                             zip(cell["mean"], cell["ci95"], cell["n"], strict=True)])
    table = cell.pivot(index="learner", columns="scenario", values="text")
    rows = [x for x in LEARNERS if x in table.index]
    cols = [x for x in SCENARIOS if x in table.columns]
    return table.loc[rows, cols].fillna("")


def path_table(ok: pd.DataFrame) -> pd.DataFrame:
    """Per physics model, allocator and learner: the best path (at the last allocation;
    the most frequent over runs), the distance-shortest path, and the share of runs
    (scenario none when present) whose most-used path in the last 10 % of frames is the
    best one."""
    sub = ok[ok["scenario"] == "none"] if (ok["scenario"] == "none").any() else ok
    g = sub.assign(hit=sub["final_path"] == sub["best_path"]).groupby(
        ["physics", "allocator", "learner"], sort=False)
    out = g.agg(best_path=("best_path", lambda s: int(s.mode().iloc[0])),
                distance_path=("distance_path", "first"),
                converged=("hit", "mean"), final_share=("final_path_share", "mean"),
                runs=("hit", "size"))
    return out


def plot_curves(ok: pd.DataFrame, physics: str, allocator: str, path: Path) -> Path | None:
    """Cumulative regret (top) and reward (bottom) per scenario, a line per learner: the
    mean over replicates at the largest horizon with its 95 % band. PNG and SVG."""
    from matplotlib.lines import Line2D

    from qray import plotstyle

    sub = ok[(ok["physics"] == physics) & (ok["allocator"] == allocator)]
    sub = sub[sub["horizon"] == sub["horizon"].max()]
    scenarios = [s for s in SCENARIOS if s in set(sub["scenario"])]
    if not scenarios:
        return None
    learners = [x for x in LEARNERS if x in set(sub["learner"])]
    colors = plotstyle.colors(learners, keep_order=True)
    fig, axes = plotstyle.figure(2, len(scenarios), width=4 * len(scenarios) + 2.5,
                                 height=6.5)
    for j, scenario in enumerate(scenarios):
        for learner in learners:
            cell = sub[(sub["scenario"] == scenario) & (sub["learner"] == learner)]
            if cell.empty:
                continue
            frames = np.asarray(cell["curve_frames"].iloc[0])
            for i, column in enumerate(("regret_curve", "reward_curve")):
                plotstyle.band(axes[i][j], frames, np.vstack(cell[column].to_numpy()),
                               color=colors[learner], label=learner)
        plotstyle.title(axes[0][j], scenario)
        axes[0][j].set_ylabel("cumulative regret")
        axes[1][j].set_ylabel("cumulative reward")
        axes[1][j].set_xlabel("frame")
        for ax in axes[:, j]:
            ax.grid(True, alpha=0.3)
            plotstyle.integer_ticks(ax)
    handles = [Line2D([], [], color=c, label=x) for x, c in colors.items()]
    fig.legend(handles=handles, loc="outside right center", fontsize=8)
    fig.suptitle(f"{physics}, {allocator} allocator: mean over replicates, band 95 % CI\n"
                 + plotstyle.fixed_text({"horizon": int(sub["horizon"].max()),
                                         "replicates": sub["replicate"].nunique()}),
                 fontsize=11)
    return plotstyle.save(fig, path)


def plot_allocation(ok: pd.DataFrame, physics: str, path: Path) -> Path | None:
    """Each path's share of the qubits over time, per adaptive allocator (mean over every
    experiment at the largest horizon)."""
    from qray import plotstyle

    sub = ok[(ok["physics"] == physics) & (ok["allocator"] != "Default")]
    if sub.empty:
        return None
    sub = sub[sub["horizon"] == sub["horizon"].max()]
    allocators = sorted(sub["allocator"].unique())
    fig, axes = plotstyle.figure(1, len(allocators), width=5 * len(allocators) + 1.2,
                                 height=3.8)
    for ax, allocator in zip(axes[0], allocators, strict=True):
        cell = sub[sub["allocator"] == allocator]
        frames = np.asarray(cell["alloc_frames"].iloc[0])
        caps = np.mean([np.asarray(list(c), dtype=float) for c in cell["alloc_capacities"]], axis=0)
        share = caps / caps.sum(axis=1, keepdims=True)
        # each allocation holds until the next one; the last until the horizon
        frames = np.append(frames, int(cell["horizon"].iloc[0]))
        share = np.vstack([share, share[-1:]])
        ax.stackplot(frames, share.T, labels=[f"path {p}" for p in range(share.shape[1])],
                     step="post")
        plotstyle.title(ax, f"{allocator} (best path {int(cell['best_path'].iloc[0])})")
        plotstyle.integer_ticks(ax)
        ax.set_xlabel("frame")
        ax.set_ylabel("share of qubits")
        ax.set_ylim(0, 1)
    axes[0][-1].legend(loc="center left", bbox_to_anchor=(1, 0.5), fontsize=7)
    fig.suptitle(f"{physics}: capacity allocation over time\n" + plotstyle.fixed_text(
        {"horizon": int(sub["horizon"].max()), "experiments": len(sub)}), fontsize=11)
    return plotstyle.save(fig, path)


def summarize(sweep_dir: Path) -> Summary:
    """Write summary.md, efficiency.csv, efficiency_by_horizon.csv, paths.csv and plots."""
    table, problems = read_dataset(sweep_dir / WORKLOAD, schema=SCHEMA)
    df = table.to_pandas()
    files: list[Path] = []
    lines = header_lines(sweep_dir, WORKLOAD, problems)
    if df.empty:
        lines.append("No rows yet.")
        md = "\n".join(lines) + "\n"
        files.append(write_text_atomic(md, sweep_dir / "summary.md"))
        return Summary(sweep_dir, md, files)
    ok = df[df["status"] == "ok"]
    lines += [f"{len(df)} experiments, {len(ok)} ok; "
              f"{ok['horizon'].sum() if not ok.empty else 0:,} frames played; "
              f"{ok['run_s'].sum() if not ok.empty else 0:.1f} s of experiment time.", ""]
    if not ok.empty:
        eff = efficiency_stats(ok)
        eff.to_csv(sweep_dir / "efficiency.csv", index=False)
        by_h = ok.groupby(["physics", "allocator", "learner", "scenario", "horizon"])[
            "efficiency"].agg(mean="mean", ci95=ci95, n="size").reset_index()
        by_h.to_csv(sweep_dir / "efficiency_by_horizon.csv", index=False)
        files += [sweep_dir / "efficiency.csv", sweep_dir / "efficiency_by_horizon.csv"]
        horizons = sorted(ok["horizon"].unique())
        lines += ["## Efficiency % (100 x reward / oracle reward), mean ± 95 % CI", "",
                  f"Over {ok['replicate'].nunique()} replicate(s) x {len(horizons)} horizon(s) "
                  f"({', '.join(str(h) for h in horizons)} frames) per cell; rewards are "
                  "expected rewards of the arms played, so the Oracle is 100 % exactly.", ""]
        for (physics, allocator), cell in eff.groupby(["physics", "allocator"], sort=False):
            lines += [f"### {physics}, {allocator} allocator", "",
                      markdown_table(efficiency_table(cell)), ""]
            if (cell["n"] < MIN_VALUES).any():
                lines += [FEW_NOTE, ""]
            png = plot_curves(ok, physics, allocator,
                              sweep_dir / f"curves_{physics}_{allocator}.png")
            if png:
                files.append(png)
                lines += [f"![regret and reward, {physics} {allocator}]({png.name})", ""]
        # the studied code's log is of the port's model, so only paper2_port compares with it
        ref = ok[(ok["physics"] == "paper2_port") & (ok["allocator"] == "Default")]
        if not ref.empty:
            lines += ["### paper2_port against the studied code's log (Default allocator)", "",
                      reference_table(eff), ""]
        paths = path_table(ok)
        paths.to_csv(sweep_dir / "paths.csv")
        files.append(sweep_dir / "paths.csv")
        lines += ["## Learned path vs best and distance-shortest path", "",
                  "`converged`: share of runs (scenario none when run) whose most-used path in "
                  "the last 10 % of frames is the best path.", "",
                  markdown_table(paths, floatfmt="{:.2f}"), ""]
        from qray.netsim.summary_paper2 import section

        more, paper2_files = section(ok, sweep_dir)
        lines += more
        files += paper2_files
        for physics in ok["physics"].unique():
            png = plot_allocation(ok, physics, sweep_dir / f"allocation_{physics}.png")
            if png:
                files.append(png)
                lines += [f"![allocation over time, {physics}]({png.name})", ""]
    failed = df[df["status"] != "ok"]
    if not failed.empty:
        fail = failed.groupby(["physics", "learner", "status"]).agg(
            rows=("task_id", "size"), example=("error", "first"))
        fail["example"] = fail["example"].astype(str).str.slice(0, 160)
        fail.to_csv(sweep_dir / "failures.csv")
        files.append(sweep_dir / "failures.csv")
        lines += ["## Experiments that failed", "", markdown_table(fail), ""]
    md = "\n".join(lines) + "\n"
    files.append(write_text_atomic(md, sweep_dir / "summary.md"))
    return Summary(sweep_dir, md, files)


def reference_table(eff: pd.DataFrame) -> str:
    """Our paper2_port/Default efficiencies next to the studied code's (where it
    reported)."""
    ours = eff[(eff["physics"] == "paper2_port") & (eff["allocator"] == "Default")]
    rows = []
    for scenario, learners in REFERENCE.items():
        for learner, theirs in learners.items():
            hit = ours[(ours["scenario"] == scenario) & (ours["learner"] == learner)]
            if not hit.empty:
                rows.append({"scenario": scenario, "learner": learner,
                             "qray": f"{hit['mean'].iloc[0]:.1f} ± {hit['ci95'].iloc[0]:.1f}",
                             "studied code": f"{theirs:.1f}"})
    if not rows:
        return "(no overlapping cells)"
    return (markdown_table(pd.DataFrame(rows), index=False) + "\n\nThe studied code's "
            "`adaptive` was really i.i.d. attacks at rate 0.25; qray's adapts to the learner.")
