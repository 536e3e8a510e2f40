"""Summary of a ``cloud`` sweep: per scheduler, mean total completion time (incl.
rescheduling delay) +- 95 % CI over the same episodes, the studied metric without the
delay, reschedules, utilization; each learned scheduler against each heuristic paired over
the same episodes (mean difference, its 95 % t interval, n) and the spec's bar check by
check; and a bar plot."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from qray.cloud.evaluate import summary_table
from qray.cloud.rows import SCHEMA, WORKLOAD
from qray.results import read_dataset
from qray.results.stats import PairedDifference, paired_difference
from qray.results.tables import markdown_table
from qray.results.writer import write_text_atomic
from qray.summary import Summary, header_lines

log = logging.getLogger(__name__)


#: the spec's bar for a learned scheduler: within 5 % of FeasibleGreedy or better
FEASIBLE_GREEDY_MARGIN = 0.05
#: the heuristic the margin is measured against
REFERENCE = "FeasibleGreedy"


def outcome(d: PairedDifference) -> str:
    """``yes`` when the interval of a - b lies below 0, ``no`` above, else ``not shown``."""
    return {-1: "yes", 1: "no"}.get(d.sign, "not shown")


def bar_checks(diffs: dict[str, PairedDifference], within: PairedDifference | None,
               row: Any) -> list[tuple[str, str]]:
    """The spec's bar for one learned scheduler, check by check: ``(check, outcome)`` with
    outcome ``yes``, ``no``, ``not shown`` (the paired interval includes 0) or ``not
    evaluated (why)``. ``diffs``: its paired difference from each heuristic; ``within``:
    from FeasibleGreedy's time plus the margin (None when FeasibleGreedy did not run)."""
    others = [outcome(d) for h, d in diffs.items() if h != REFERENCE]
    if others:
        beats = "no" if "no" in others else "yes" if set(others) == {"yes"} else "not shown"
    else:
        beats = "not evaluated (no heuristic but FeasibleGreedy ran)"
    margin = (outcome(within) if within is not None
              else f"not evaluated ({REFERENCE} did not run)")
    return [("better than every other heuristic", beats),
            (f"within {100 * FEASIBLE_GREEDY_MARGIN:.0f} % of {REFERENCE} or better", margin),
            ("~0 reschedules (< 0.5 per episode)", "yes" if row.reschedules < 0.5 else "no"),
            ("no truncated episode", "yes" if row.truncated == 0 else "no")]


def verdict(checks: list[tuple[str, str]]) -> str:
    """``meets the bar`` only when every check ran and held; ``does not`` when one failed;
    else ``not established`` naming the checks that did not decide."""
    failed = [c for c, o in checks if o == "no"]
    if failed:
        return "does not meet the bar (fails: " + "; ".join(failed) + ")"
    open_ = [f"{c}: {o}" for c, o in checks if o != "yes"]
    if open_:
        return "not established (" + "; ".join(open_) + ")"
    return "meets the bar (all four checks ran and held)"


def comparison_lines(ok: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Each learned scheduler against every heuristic, paired over the episodes both ran:
    the mean difference in total completion time with its 95 % t interval and n ("better"
    only when the interval lies below 0), then the spec's bar check by check."""
    wide = ok.pivot_table(index="episode_key", columns="scheduler",
                          values="total_completion", aggfunc="mean")
    heuristics = table.loc[table["kind"] == "heuristic", "scheduler"].tolist()
    lines = []
    for r in table[table["kind"] != "heuristic"].itertuples():
        learned = wide[r.scheduler]
        lines.append(f"- `{r.scheduler}` ({r.kind}) minus each heuristic, total completion "
                     "time per episode, paired over the same episodes (mean [95 % CI]; "
                     "negative: faster):")
        diffs = {h: paired_difference(learned, wide[h]) for h in heuristics}
        for h, d in diffs.items():
            word = {"yes": "better", "no": "worse"}.get(outcome(d),
                                                        "no clear difference (CI includes 0)"
                                                        if d.n >= 2 else "too few episodes")
            lines.append(f"  - vs {h}: {d.text(' s')}: {word}")
        within = (paired_difference(learned, (1 + FEASIBLE_GREEDY_MARGIN) * wide[REFERENCE])
                  if REFERENCE in diffs else None)
        checks = bar_checks(diffs, within, r)
        lines.append(f"  - the spec's bar: {verdict(checks)}")
        lines += [f"    - {c}: {o}" for c, o in checks]
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
        lines += comparison_lines(ok, t)
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
