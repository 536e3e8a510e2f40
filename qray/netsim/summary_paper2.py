"""The paper2 section of a netsim summary: the paper's Table I beside qray's (per path its
length, hops, F_fiber, expected fidelity and reward, UCB's Q_M estimate and selection share,
at the gamma nearest 2) and the gamma sweep (mean reward per iteration, the learned path's
share) of ``UCBPaper2`` runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from qray.results.tables import markdown_table

#: the paper's Table I (1400 rounds x 600 experiments): path number (1-based) -> values
PAPER_TABLE = {
    2: {"km": 19.094, "Q_M": 1.4729, "fidelity": "[0.7, 0.8]", "choice": "learned (UCB)"},
    1: {"km": 18.006, "Q_M": 0.7011, "fidelity": "[0.6, 0.7]", "choice": "distance-based"},
}
#: gamma of the paper's Table I
TABLE_GAMMA = 2.0
#: frames at which the share of runs on the learned path is reported
SETTLE_FRAMES = (9, 10, 20, 30, 50, 100)


def ucb_rows(ok: pd.DataFrame) -> pd.DataFrame:
    """The paper2 ``UCBPaper2`` rows (every scenario, allocator and horizon) with their
    gamma as a column."""
    sub = ok[(ok["physics"] == "paper2") & (ok["learner"] == "UCBPaper2")]
    if sub.empty:
        return sub
    gamma = [json.loads(c or "{}").get("gamma", 2.0) for c in sub["learner_config"]]
    return sub.assign(gamma=np.asarray(gamma, dtype=float))


def table_cell(rows: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The rows Table I may use, and a sentence saying which: the unattacked runs
    (scenario ``none``) of one allocator (``Default`` where run) at the longest horizon.
    Attacked runs or other horizons pooled in would mix different experiments into one
    path's Q_M. Empty (with the reason) when the sweep has no unattacked run."""
    none = rows[rows["scenario"] == "none"]
    if none.empty:
        ran = ", ".join(sorted(set(rows["scenario"])))
        return none, (f"No Table I: it needs unattacked runs (scenario none) and this sweep "
                      f"ran UCBPaper2 on paper2 only under {ran}.")
    allocators = sorted(set(none["allocator"]))
    allocator = "Default" if "Default" in allocators else allocators[0]
    none = none[none["allocator"] == allocator]
    horizons = sorted(set(int(h) for h in none["horizon"]))
    cell = none[none["horizon"] == horizons[-1]]
    left = []
    if len(horizons) > 1:
        left.append("horizons " + ", ".join(str(h) for h in horizons[:-1]))
    if len(allocators) > 1:
        left.append("allocators " + ", ".join(a for a in allocators if a != allocator))
    attacked = sorted(set(rows["scenario"]) - {"none"})
    if attacked:
        left.append("scenarios " + ", ".join(attacked))
    said = (f"Unattacked runs only (scenario none), allocator {allocator}, horizon "
            f"{horizons[-1]} (the longest)")
    said += "; left out: " + "; ".join(left) + "." if left else "."
    return cell, said


def testbed_of(sweep_dir: Path) -> Any:
    """The sweep's paper2 testbed, rebuilt from ``sweep.json`` (defaults without one)."""
    from qray.netsim.worker import build_testbed
    from qray.results.folder import read_manifest

    manifest = sweep_dir / "sweep.json"
    config = read_manifest(manifest).get("config", {}) if manifest.is_file() else {}
    return build_testbed("paper2", (config.get("models") or {}).get("paper2", {}),
                         int(config.get("topology_seed", 0)))


def q_estimates(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per path: the mean over runs of UCB's final Q estimate (runs that pulled it) and the
    mean selection share."""
    sums = np.vstack(rows["path_rewards"].to_numpy())
    counts = np.vstack(rows["path_counts"].to_numpy()).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.where(counts > 0, sums / counts, np.nan)
    share = counts / rows["horizon"].to_numpy()[:, None]
    return np.nanmean(q, axis=0), share.mean(axis=0)


def table1(rows: pd.DataFrame, testbed: Any) -> pd.DataFrame:
    """qray's Table I (one row per path) with the paper's values beside."""
    q, share = q_estimates(rows)
    out = []
    for info, qm, sh in zip(testbed.path_table(), q, share, strict=True):
        paper = PAPER_TABLE.get(info["path"], {})
        out.append({"path": info["path"], "nodes": info["nodes"], "km": info["km"],
                    "hops": info["hops"], "F_fiber": info["f_fiber"],
                    "E[F]": info["fidelity"], "E[reward]": info["reward"], "Q_M": qm,
                    "share": sh, "paper km": paper.get("km", ""),
                    "paper Q_M": paper.get("Q_M", ""),
                    "paper fidelity": paper.get("fidelity", ""),
                    "paper": paper.get("choice", "")})
    return pd.DataFrame(out)


def gamma_sweep(rows: pd.DataFrame, learned: int) -> pd.DataFrame:
    """Per gamma: mean realized and expected reward per iteration, the learned path's share
    of the pulls (mean over runs) and the runs."""
    per = rows.assign(realized=rows["realized_reward"] / rows["horizon"],
                      expected=rows["reward"] / rows["horizon"],
                      share=[c[learned] / h for c, h in zip(rows["path_counts"], rows["horizon"],
                                                             strict=True)])
    return per.groupby("gamma").agg(reward_per_iteration=("realized", "mean"),
                                    expected_per_iteration=("expected", "mean"),
                                    learned_share=("share", "mean"),
                                    runs=("share", "size")).reset_index()


def settle_table(rows: pd.DataFrame, learned: int) -> pd.DataFrame:
    """Share of runs playing the learned path at a few early frames."""
    first = np.vstack(rows["first_paths"].to_numpy())
    cells = {f"t={t}": float((first[:, t - 1] == learned).mean())
             for t in SETTLE_FRAMES if t <= first.shape[1]}
    return pd.DataFrame([cells])


def plot_gamma(sweep: pd.DataFrame, learned: int, path: Path) -> Path:
    """Mean reward per iteration (left) and the learned path's share (right) vs gamma."""
    from qray import plotstyle

    fig, axes = plotstyle.figure(1, 2, width=9, height=3.6)
    left, right = axes[0]
    left.plot(sweep["gamma"], sweep["reward_per_iteration"], marker="o", label="realized")
    left.plot(sweep["gamma"], sweep["expected_per_iteration"], marker=".", ls="--",
              label="expected")
    left.set_xlabel("gamma")
    left.set_ylabel("mean reward per iteration")
    left.legend(fontsize=8)
    right.plot(sweep["gamma"], sweep["learned_share"], marker="o", color="tab:green")
    right.set_xlabel("gamma")
    right.set_ylabel(f"share of pulls on path {learned + 1}")
    for ax in (left, right):
        ax.grid(True, alpha=0.3)
    fig.suptitle("paper2, UCBPaper2: the gamma sweep (mean over runs)")
    return plotstyle.save(fig, path)


def section(ok: pd.DataFrame, sweep_dir: Path) -> tuple[list[str], list[Path]]:
    """The markdown lines and files of the paper2 Table I section (none without
    ``UCBPaper2`` rows on paper2)."""
    rows = ucb_rows(ok)
    if rows.empty:
        return [], []
    title = "## paper2: the paper's Table I beside qray's"
    cell, said = table_cell(rows)
    if cell.empty:
        return [title, "", said, ""], []
    testbed = testbed_of(sweep_dir)
    gammas = np.unique(cell["gamma"])
    g = float(gammas[np.argmin(np.abs(gammas - TABLE_GAMMA))])
    at = cell[cell["gamma"] == g]
    table = table1(at, testbed)
    learned = int(table["share"].to_numpy().argmax())
    table.to_csv(sweep_dir / "paper2_table1.csv", index=False)
    files = [sweep_dir / "paper2_table1.csv"]
    lines = [title, "",
             f"UCBPaper2 at gamma = {g:g}: {len(at)} runs of {int(at['horizon'].iloc[0])} "
             f"rounds. {said} `E[F]`, `E[reward]`: the path's exact expected fidelity and "
             "reward; `Q_M`: UCB's own final estimate of the path's mean reward, averaged "
             "over the runs that pulled it (biased low for paths UCB stops pulling); "
             "`share`: of all pulls. Paths are numbered from 1 as in the paper.", "",
             markdown_table(table, floatfmt="{:.4f}", index=False), "",
             f"Learned path: {learned + 1} ({table['nodes'][learned]}); distance-shortest: "
             f"{testbed.distance_path() + 1}. Share of runs on path {learned + 1} by frame:", "",
             markdown_table(settle_table(at, learned), floatfmt="{:.3f}", index=False), ""]
    if len(gammas) > 1:
        sweep = gamma_sweep(cell, learned)
        sweep.to_csv(sweep_dir / "paper2_gamma.csv", index=False)
        png = plot_gamma(sweep, learned, sweep_dir / "paper2_gamma.png")
        files += [sweep_dir / "paper2_gamma.csv", png]
        best = sweep.loc[sweep["reward_per_iteration"].idxmax(), "gamma"]
        most = sweep.loc[sweep["learned_share"].idxmax(), "gamma"]
        lines += ["### paper2: the gamma sweep", "",
                  "The runs Table I selects, at every gamma. "
                  f"Mean reward per iteration peaks at gamma = {best:g}, path {learned + 1}'s "
                  f"share at gamma = {most:g} (the paper: about 2 and about 1).", "",
                  markdown_table(sweep, floatfmt="{:.4g}", index=False), "",
                  f"![gamma sweep]({png.name})", ""]
    return lines, files
