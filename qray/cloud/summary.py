"""Summary of a ``cloud`` sweep: per scheduler, mean total completion time (incl.
rescheduling delay) +- 95 % CI over the same episodes, the studied metric without the
delay, reschedules, utilization; and a bar plot."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from qray.cloud.evaluate import summary_table
from qray.cloud.rows import SCHEMA, WORKLOAD
from qray.results import read_dataset
from qray.results.tables import markdown_table
from qray.results.writer import write_text_atomic
from qray.summary import Summary, header_lines

log = logging.getLogger(__name__)


#: the spec's bar for a learned scheduler: within 5 % of FeasibleGreedy or better
FEASIBLE_GREEDY_MARGIN = 0.05


def comparison_lines(table: pd.DataFrame) -> list[str]:
    """How each learned scheduler compares with every heuristic (negative: better), and
    whether it meets the spec's bar: better than every heuristic but FeasibleGreedy,
    within 5 % of FeasibleGreedy or better, about no reschedules (< 0.5 per episode), no
    truncated episode."""
    heur = table[table["kind"] == "heuristic"].set_index("scheduler")
    lines = []
    for r in table[table["kind"] != "heuristic"].itertuples():
        parts = [f"{h} {100 * (r.total_completion_s / v - 1):+.1f} %"
                 for h, v in heur["total_completion_s"].items()]
        lines.append(f"- `{r.scheduler}` ({r.kind}) vs " + ", ".join(parts))
        others = heur.drop(index="FeasibleGreedy", errors="ignore")["total_completion_s"]
        checks = [bool((r.total_completion_s < others).all()), r.reschedules < 0.5,
                  r.truncated == 0]
        if "FeasibleGreedy" in heur.index:
            fg = heur.loc["FeasibleGreedy", "total_completion_s"]
            checks.append(r.total_completion_s <= (1 + FEASIBLE_GREEDY_MARGIN) * fg)
        lines.append(f"  - meets the bar (beats every other heuristic, within 5 % of "
                     f"FeasibleGreedy or better, ~0 reschedules, no truncation): "
                     f"{'yes' if all(checks) else 'NO'}")
    return lines


def summarize(sweep_dir: Path) -> Summary:
    table, problems = read_dataset(sweep_dir / WORKLOAD, schema=SCHEMA)
    df = table.to_pandas()
    lines = header_lines(sweep_dir, WORKLOAD, problems)
    files: list[Path] = []
    ok = df[df["status"] == "ok"] if len(df) else df
    if len(ok):
        t = summary_table(ok)
        kinds = ok.groupby("scheduler")["kind"].first()
        t.insert(1, "kind", t["scheduler"].map(kinds))
        lines += [f"{ok['episode_key'].nunique()} held-out episodes (keys "
                  f"{ok['episode_key'].min()}..{ok['episode_key'].max()}), the same for every "
                  "scheduler. Total completion time includes the rescheduling delay; "
                  "`excl_delay_s` is the studied metric that left it out.", "",
                  markdown_table(t, index=False, floatfmt="{:.4g}"), ""]
        lines += comparison_lines(t)
        csv = sweep_dir / "cloud_summary.csv"
        t.to_csv(csv, index=False)
        files.append(csv)
        files.append(_plot(t, sweep_dir / "cloud_completion.png"))
    failed = len(df) - len(ok)
    if failed:
        lines += ["", f"{failed} episode row(s) failed: rerun with --rerun-failed"]
    md = "\n".join(lines) + "\n"
    path = write_text_atomic(md, sweep_dir / "summary.md")
    return Summary(sweep_dir, md, [path, *files])


def _plot(t: pd.DataFrame, path: Path) -> Path:
    from qray import plotstyle

    fig, axes = plotstyle.figure(width=7, height=3.5)
    ax = axes[0][0]
    ax.bar(t["scheduler"], t["total_completion_s"], yerr=t["ci95_s"], capsize=4,
           color=["tab:orange" if k != "heuristic" else "tab:blue" for k in t["kind"]])
    ax.set_ylabel("total completion time per episode (s)")
    ax.set_title("schedulers on held-out episodes (mean ± 95 % CI)")
    ax.tick_params(axis="x", rotation=20)
    return plotstyle.save(fig, path)
