"""Summary of a simulator sweep: per (circuit, depth, noise) time tables (median with
interquartile range, ms), speedups vs a reference backend with bootstrap intervals, the
memory per run beside the statevector's size, failures, cross-backend agreement, noisy-GHZ
populations against the exact curve, and plots (time vs qubits with every depth, time vs
depth, memory vs qubits, GHZ population vs noise). Cells from fewer than 5 repetitions are
marked."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from qray.errors import QrayError
from qray.results import read_dataset
from qray.results.folder import MANIFEST, read_manifest
from qray.results.stats import FEW_NOTE, MIN_VALUES, few, format_interval, ratio_ci
from qray.results.tables import markdown_table
from qray.results.writer import write_text_atomic
from qray.simulators.ghz_exact import ghz_population
from qray.simulators.rows import SCHEMA, WORKLOAD
from qray.summary import Summary, header_lines

log = logging.getLogger(__name__)

POINT_COLS = ["circuit", "n_qubits", "depth", "noise"]


def load(sweep_dir: Path) -> tuple[pd.DataFrame, list]:
    """All rows of the sweep as a DataFrame (plus unreadable files)."""
    table, problems = read_dataset(sweep_dir / WORKLOAD, schema=SCHEMA)
    df = table.to_pandas()
    if not df.empty:
        df["total_s"] = df["build_s"] + df["run_s"]
        df = split_settings(df)
    return df, problems


def split_settings(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of one backend measured under different settings (threads, options, warmup,
    version) become separate cells: such a backend is labelled ``backend [settings]``
    in every table and plot. Rows without a settings label (written before it existed)
    are ``[unrecorded]``."""
    labels = df["settings"].fillna("unrecorded") if "settings" in df else None
    if labels is None:
        return df
    versions = df["backend_version"].fillna("?")
    key = labels.where(versions.groupby(df["backend"]).transform("nunique") == 1,
                       labels + " version=" + versions)
    several = key.groupby(df["backend"]).transform("nunique") > 1
    df = df.copy()
    df.loc[several, "backend"] = df.loc[several, "backend"] + " [" + key[several] + "]"
    return df


#: per-(circuit, depth, noise) tables shown in summary.md at most; the CSVs have them all
MAX_GROUPS = 24


def _capped(n: int, csv: str) -> list[str]:
    """The note above a list of per-group tables that shows only the first ones."""
    if n <= MAX_GROUPS:
        return []
    return [f"{n} (circuit, depth, noise) groups: the first {MAX_GROUPS} are shown; "
            f"`{csv}` has every one.", ""]


def time_table(ok: pd.DataFrame) -> pd.DataFrame:
    """Median build/run/total seconds per point and backend, the quartiles of the run and
    total times (``q1_*``, ``q3_*``: the IQR of the repetitions), and the speedup vs the
    slowest backend's median."""
    keys = [*POINT_COLS, "backend"]
    grouped = ok.groupby(keys)
    g = grouped.agg(
        runs=("total_s", "size"),
        median_build_s=("build_s", "median"),
        median_run_s=("run_s", "median"),
        median_total_s=("total_s", "median"),
    )
    for col in ("run_s", "total_s"):  # quartiles in one vectorized pass per column
        quart = grouped[col].quantile([0.25, 0.75]).unstack()
        g[f"q1_{col}"], g[f"q3_{col}"] = quart[0.25], quart[0.75]
    g = g.reset_index()[[*keys, "runs", "median_build_s", "median_run_s", "q1_run_s",
                         "q3_run_s", "median_total_s", "q1_total_s", "q3_total_s"]]
    slowest = g.groupby(POINT_COLS)["median_total_s"].transform("max")
    g["speedup_vs_slowest"] = slowest / g["median_total_s"]
    return g


def reference_backend(sweep_dir: Path) -> str | None:
    """The ``reference_backend`` of the sweep's config (``sweep.json``), or None."""
    path = sweep_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        config = read_manifest(path).get("config") or {}
    except QrayError as exc:
        log.warning("no reference backend from %s: %s", path, exc)
        return None
    ref = config.get("reference_backend") if isinstance(config, dict) else None
    return str(ref) if ref else None


def _reference_in(cell: pd.DataFrame, medians: pd.Series, reference: str | None) -> str | None:
    """The backend label of a cell that its speedups are measured against: ``reference``
    (its slowest setting if the cell has it under several), the slowest backend without
    one, None when the cell lacks the reference."""
    labels = list(medians.index)
    if reference is not None:
        labels = [b for b in labels if b == reference or b.startswith(reference + " [")]
    if not labels:
        return None
    return str(medians[labels].idxmax())


def speedup_table(ok: pd.DataFrame, reference: str | None = None, *, level: float = 0.95,
                  n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Per point and backend: the reference's median total time over the backend's, with
    its bootstrap ``level`` interval (:func:`qray.results.stats.ratio_ci`, the two sets
    of repetitions resampled independently, seeded). ``reference`` None measures each
    cell against its slowest backend; cells the reference did not run, and cells that one
    backend alone ran, are left out."""
    records = []
    several = ok.groupby(POINT_COLS)["backend"].transform("nunique") > 1
    for point, cell in ok[several].groupby(POINT_COLS):  # one backend: nothing to compare
        times = {b: grp["total_s"].to_numpy() for b, grp in cell.groupby("backend")}
        medians = pd.Series({b: float(np.median(v)) for b, v in times.items()})
        ref = _reference_in(cell, medians, reference)
        if ref is None:
            continue
        for backend, values in times.items():
            if backend == ref:
                speedup = low = high = 1.0
            else:
                speedup, low, high = ratio_ci(times[ref], values, level=level, n_boot=n_boot,
                                              seed=seed)
            records.append({**dict(zip(POINT_COLS, point, strict=True)), "backend": backend,
                            "reference": ref, "runs": len(values), "ref_runs": len(times[ref]),
                            "speedup": speedup, "ci_low": low, "ci_high": high})
    columns = [*POINT_COLS, "backend", "reference", "runs", "ref_runs", "speedup", "ci_low",
               "ci_high"]
    return pd.DataFrame(records, columns=columns)


def agreement_table(df: pd.DataFrame) -> pd.DataFrame:
    """Pairwise TVD of the backends' exact noiseless distributions: a backend x backend
    matrix of the maximum over the circuits both ran."""
    exact = df[df["probs"].notna() & (df["status"] == "ok")]
    records = []
    for (_circuit, _n, _depth), grp in exact.groupby(["circuit", "n_qubits", "depth"]):
        dists = {b: np.asarray(p) for b, p in zip(grp["backend"], grp["probs"], strict=True)}
        for a, b in itertools.combinations(sorted(dists), 2):
            tvd = 0.5 * float(np.abs(dists[a] - dists[b]).sum())
            records += [{"a": a, "b": b, "tvd": tvd}, {"a": b, "b": a, "tvd": tvd}]
    if not records:
        return pd.DataFrame()
    matrix = pd.DataFrame(records).pivot_table(index="a", columns="b", values="tvd",
                                               aggfunc="max")
    matrix.index.name = "max TVD"
    matrix.columns.name = None
    return matrix


def ghz_table(ok: pd.DataFrame) -> pd.DataFrame:
    """Per n, gate noise (1q, 2q), readout and backend: the GHZ population pooled over the
    repetitions' shots, its binomial standard error, and the exact population of the
    circuit under that noise (:mod:`qray.simulators.ghz_exact`)."""
    ghz = ok[(ok["circuit"] == "ghz") & ok["ghz_population"].notna()].copy()
    if ghz.empty:
        return pd.DataFrame()
    ghz["noise_2q"] = ghz["noise_2q"].fillna(ghz["noise"]) if "noise_2q" in ghz else ghz["noise"]
    ghz["readout_error"] = ghz["readout_error"].fillna(0.0) if "readout_error" in ghz else 0.0
    ghz["hits"] = ghz["ghz_population"] * ghz["shots"]
    keys = ["n_qubits", "noise", "noise_2q", "readout_error", "backend"]
    g = ghz.groupby(keys).agg(hits=("hits", "sum"), shots=("shots", "sum"),
                              runs=("shots", "size")).reset_index()
    g["population"] = g["hits"] / g["shots"]
    g["stderr"] = np.sqrt(g["population"] * (1 - g["population"]) / g["shots"])
    g["exact"] = [ghz_population(int(n), p1, p2, r) for n, p1, p2, r in
                  zip(g["n_qubits"], g["noise"], g["noise_2q"], g["readout_error"],
                      strict=True)]
    # a sampled 0 or 1 has stderr 0: count its distance by the exact value's binomial sd
    sd = np.sqrt(g["exact"] * (1 - g["exact"]) / g["shots"])
    g["z"] = (g["population"] - g["exact"]) / sd.where(sd > 0)
    return g.drop(columns="hits")


def ghz_lines(ghz: pd.DataFrame) -> list[str]:
    """The noise section: per n and noise, each backend's population ± 95 % (binomial)
    beside the exact value, and the largest deviation in standard errors."""
    cells = ghz.assign(
        col=[f"n={n} p={p:g}" + (f" p2={q:g}" if q != p else "") + (f" r={r:g}" if r else "")
             for n, p, q, r in zip(ghz["n_qubits"], ghz["noise"], ghz["noise_2q"],
                                   ghz["readout_error"], strict=True)],
        cell=[f"{v:.4f} ± {1.96 * e:.4f}" for v, e in
              zip(ghz["population"], ghz["stderr"], strict=True)])
    order = cells.sort_values(["n_qubits", "noise", "noise_2q", "readout_error"])["col"]
    table = cells.pivot(index="backend", columns="col", values="cell")[order.unique()]
    exact = cells.drop_duplicates("col").set_index("col")["exact"]
    table.loc["exact"] = [f"{exact[c]:.4f}" for c in table.columns]
    worst = float(np.nanmax(np.abs(ghz["z"]))) if ghz["z"].notna().any() else float("nan")
    return ["## GHZ population P(0…0) + P(1…1) vs depolarizing noise", "",
            "Per backend the population over all shots of the repetitions ± 1.96 binomial "
            "standard errors; `exact`: the circuit's population under the same noise, "
            "computed (not fitted). Largest deviation from exact: "
            f"{worst:.1f} standard errors over {len(ghz)} cells.", "",
            markdown_table(table), "", "![GHZ population vs noise](ghz_vs_noise.png)", ""]


def plot_ghz(ghz: pd.DataFrame, path: Path) -> Path:
    """GHZ population against p, one panel per n, a marker set per backend with 95 %
    binomial error bars, and the exact curve (2q noise = 1q, no readout error)."""
    from qray import plotstyle

    sizes = sorted(ghz["n_qubits"].unique())
    colors = plotstyle.colors(ghz["backend"].unique())
    fig, axes = plotstyle.figure(1, len(sizes), width=5 * len(sizes) + 2.5, height=4.2)
    for ax, n in zip(axes[0], sizes, strict=True):
        sub = ghz[ghz["n_qubits"] == n]
        same = sub[(sub["noise_2q"] == sub["noise"]) & (sub["readout_error"] == 0)]
        top = float(sub["noise"].max()) or 1e-3
        grid = np.concatenate([[0.0], np.geomspace(1e-4, top, 80)])
        if len(same):
            ax.plot(grid, [ghz_population(int(n), p) for p in grid], color="black",
                    linewidth=1, label="exact")
        backends = sorted(sub["backend"].unique())
        for backend, line in sub.groupby("backend"):
            line = line.sort_values("noise")
            # side by side around each p (a few % apart on the log axis) so none hides another
            dodge = 1 + 0.05 * (backends.index(backend) - (len(backends) - 1) / 2)
            ax.errorbar(line["noise"] * dodge, line["population"], yerr=1.96 * line["stderr"],
                        marker="o", linestyle="none", capsize=3, markersize=4,
                        color=colors[backend], label=backend)
        ax.set_xscale("symlog", linthresh=1e-3)
        ax.set_xlabel("depolarizing p (1q = 2q)")
        ax.set_ylabel("P(0…0) + P(1…1)")
        plotstyle.title(ax, f"GHZ, n = {n}", {"shots": int(sub["shots"].max())})
        ax.grid(True, which="both", alpha=0.3)
    axes[0][-1].legend(fontsize=7, loc="lower left")
    fig.suptitle("GHZ population vs noise (bars: 95 % binomial)")
    return plotstyle.save(fig, path)


#: line styles of the depths in one panel of time vs qubits (deepest first)
DEPTH_STYLES = ("-", "--", ":", "-.")


def plot_time_vs(times: pd.DataFrame, x: str, path: Path, *, title: str) -> Path | None:
    """One subplot per circuit family, log-scale median time [ms] against ``x``, a line
    per backend (colour) with error bars spanning the repetitions' interquartile range.
    Against qubits every depth is drawn (one line style per depth, up to four, deepest
    first); the parameters held fixed are in each subplot's title. PNG, SVG and PDF."""
    from matplotlib.lines import Line2D

    from qray import plotstyle

    circuits = sorted(times["circuit"].unique())
    if not circuits:
        return None
    colors = plotstyle.colors(times["backend"].unique())
    fig, axes = plotstyle.figure(1, len(circuits), width=5 * len(circuits) + 2.5, height=4.2)
    depth_styles: dict[int, str] = {}
    for ax, circuit in zip(axes[0], circuits, strict=True):
        sub = times[times["circuit"] == circuit]
        # fix the other axes of the grid (largest size, weakest noise; against qubits the
        # depths are line styles) so that each line is one sweep
        fixed = {}
        for col in POINT_COLS[1:]:
            if col == x or (x == "n_qubits" and col == "depth") or sub.empty:
                continue
            pick = sub[col].min() if col == "noise" else sub[col].max()
            sub = sub[sub[col] == pick]
            if not (col == "depth" and pick == 0):  # depth 0: a family without one
                fixed[col] = pick.item() if hasattr(pick, "item") else pick
        depths = sorted(sub["depth"].unique(), reverse=True)[:len(DEPTH_STYLES)]
        for (backend, depth), line in sub[sub["depth"].isin(depths)].groupby(
                ["backend", "depth"]):
            style = DEPTH_STYLES[depths.index(depth)] if x == "n_qubits" else "-"
            if x == "n_qubits" and depth:
                depth_styles[int(depth)] = style
            line = line.sort_values(x)
            plotstyle.median_iqr(ax, line[x], line["median_total_s"] * 1e3,
                                 line["q1_total_s"] * 1e3, line["q3_total_s"] * 1e3,
                                 color=colors[backend], linestyle=style)
        ax.set_yscale("log")
        plotstyle.integer_ticks(ax, sub[x].tolist())
        ax.set_xlabel(x)
        ax.set_ylabel("median time per run [ms] (bars: IQR)")
        plotstyle.title(ax, circuit, fixed)
        ax.grid(True, which="both", alpha=0.3)
    handles = [Line2D([], [], color=c, marker="o", label=b) for b, c in colors.items()]
    handles += [Line2D([], [], color="grey", linestyle=st, label=f"depth {d}")
                for d, st in sorted(depth_styles.items()) if len(depth_styles) > 1]
    fig.legend(handles=handles, loc="outside right center", fontsize=8)
    fig.suptitle(title)
    return plotstyle.save(fig, path)


def _cells_ms(grp: pd.DataFrame) -> pd.Series:
    """``"median [q1–q3]"`` in milliseconds for each row of a time table, marked when
    fewer than :data:`~qray.results.stats.MIN_VALUES` repetitions make it."""
    return pd.Series([format_interval(m * 1e3, a * 1e3, b * 1e3) + few(n) for m, a, b, n in
                      zip(grp["median_total_s"], grp["q1_total_s"], grp["q3_total_s"],
                          grp["runs"], strict=True)], index=grp.index)


def memory_table(ok: pd.DataFrame) -> pd.DataFrame:
    """Per noise strength, backend and n: the run's memory above the actor's idle resident
    memory (``run_memory_mb``, MiB), as the largest over circuits and depths of the median
    over repetitions, with the median's cell count; empty without measurements."""
    if "run_memory_mb" not in ok or ok["run_memory_mb"].isna().all():
        return pd.DataFrame()
    med = ok.dropna(subset=["run_memory_mb"]).groupby([*POINT_COLS, "backend"]).agg(
        memory_mb=("run_memory_mb", "median"), runs=("run_memory_mb", "size")).reset_index()
    top = med.loc[med.groupby(["noise", "backend", "n_qubits"])["memory_mb"].idxmax()]
    return top[["noise", "backend", "n_qubits", "circuit", "depth", "memory_mb", "runs"]] \
        .reset_index(drop=True)


def statevector_mb(n: np.ndarray | int) -> np.ndarray:
    """The memory of an n-qubit complex128 statevector, 2**n * 16 bytes, in MiB."""
    return np.exp2(np.asarray(n, dtype=float)) * 16 / 2**20


def memory_lines(memory: pd.DataFrame) -> list[str]:
    """The memory section: one backend x qubits table per noise strength, with the
    statevector's size as a last row."""
    lines = ["## Memory per run [MiB]: resident-memory growth during the run", "",
             "The process's resident high-water mark during build and sampling minus its "
             "resident memory when the run began (freed heap pages returned first): a lower "
             "bound of the run's footprint, since pages the allocator reuses within a run do "
             "not show. Per cell the largest over circuits and depths of the median over "
             "repetitions (`memory.csv` names the circuit). The last rows are a 2^n x 16-byte "
             "statevector (and, with noise, a 4^n x 16-byte density matrix); a Clifford "
             "circuit may run on a stabilizer method far below them.",
             ""]
    for noise, grp in memory.groupby("noise"):
        pivot = grp.assign(cell=[f"{v:.3g}{few(n)}" for v, n in
                                 zip(grp["memory_mb"], grp["runs"], strict=True)]) \
            .pivot(index="backend", columns="n_qubits", values="cell")
        n = pivot.columns.to_numpy()
        pivot.loc["statevector 2^n x 16 B"] = [f"{v:.3g}" for v in statevector_mb(n)]
        if noise > 0:  # a noisy run may hold a density matrix
            pivot.loc["density matrix 4^n x 16 B"] = [f"{v:.3g}" for v in
                                                      statevector_mb(2 * n)]
        pivot.columns = [f"n={c}" for c in pivot.columns]
        lines += [f"### noise {noise:g}", "", markdown_table(pivot), ""]
    return lines


def plot_memory(memory: pd.DataFrame, path: Path) -> Path:
    """Memory per run against n, a line per backend, one panel per noise strength, with
    the 2^n x 16-byte statevector line (log scale)."""
    from qray import plotstyle

    noises = sorted(memory["noise"].unique())
    colors = plotstyle.colors(memory["backend"].unique())
    fig, axes = plotstyle.figure(1, len(noises), width=5 * len(noises) + 2.5, height=4.2)
    for ax, noise in zip(axes[0], noises, strict=True):
        sub = memory[memory["noise"] == noise]
        for backend, line in sub.groupby("backend"):
            line = line.sort_values("n_qubits")
            # a log axis cannot show 0: a run that grew nothing is left out, not moved
            ax.plot(line["n_qubits"], line["memory_mb"].where(line["memory_mb"] > 0),
                    marker="o", color=colors[backend], label=backend)
        n = np.arange(sub["n_qubits"].min(), sub["n_qubits"].max() + 1)
        ax.plot(n, statevector_mb(n), color="black", linestyle="--",
                label="statevector 2^n x 16 B")
        if noise > 0:
            ax.plot(n, statevector_mb(2 * n), color="black", linestyle=":",
                    label="density matrix 4^n x 16 B")
        ax.set_yscale("log")
        plotstyle.integer_ticks(ax, sub["n_qubits"].tolist())
        ax.set_xlabel("n_qubits")
        ax.set_ylabel("resident-memory growth per run [MiB]")
        plotstyle.title(ax, f"noise {noise:g}", {"pooled": "max over circuits, depths",
                                                  "zero": "not drawn"})
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("memory per run vs qubits (a lower bound: RSS growth during the run)")
    return plotstyle.save(fig, path)


def _group_label(circuit: str, depth: int, noise: float) -> str:
    return f"### {circuit}" + (f", depth {depth}" if depth else "") + f", noise {noise:g}"


def speedup_lines(speed: pd.DataFrame, reference: str | None) -> list[str]:
    """The summary's speedup section: per circuit, depth and noise, a backend x qubits
    table of ``speedup [95 % interval]``."""
    if speed.empty:
        return []
    against = (f"`{reference}`" if reference is not None
               else "the slowest backend of each cell")
    lines = [f"## Speedup vs {against} (its median time / the backend's, bootstrap 95 % "
             "interval)", ""]
    if reference is None:
        lines += ["Set `reference_backend` in the sweep's config to measure every cell "
                  "against one backend.", ""]
    groups = list(speed.groupby(["circuit", "depth", "noise"]))
    lines += _capped(len(groups), "speedup.csv")
    for (circuit, depth, noise), grp in groups[:MAX_GROUPS]:
        cells = grp.assign(cell=[format_interval(v, lo, hi)
                                 + ("" if b == ref else few(min(n, m)))
                                 for v, lo, hi, n, m, b, ref in
                                 zip(grp["speedup"], grp["ci_low"], grp["ci_high"],
                                     grp["runs"], grp["ref_runs"], grp["backend"],
                                     grp["reference"], strict=True)])
        pivot = cells.pivot(index="backend", columns="n_qubits", values="cell")
        pivot.columns = [f"n={c}" for c in pivot.columns]
        lines += [_group_label(circuit, depth, noise), "", markdown_table(pivot), ""]
    return lines


def summarize(sweep_dir: Path) -> Summary:
    """Write summary.md, times.csv, agreement.csv, failures.csv and the plots."""
    df, problems = load(sweep_dir)
    reference = reference_backend(sweep_dir)
    files: list[Path] = []
    lines = header_lines(sweep_dir, "simulators", problems)
    if df.empty:
        lines.append("No rows yet.")
        md = "\n".join(lines) + "\n"
        files.append(write_text_atomic(md, sweep_dir / "summary.md"))
        return Summary(sweep_dir, md, files)

    status = df.groupby(["backend", "status"]).size().unstack(fill_value=0)
    lines += [f"{len(df)} rows, {df['task_id'].nunique()} distinct tasks, "
              f"{(df['status'] == 'ok').sum()} ok.", "", "## Rows by status", "",
              markdown_table(status), ""]

    ok = df[df["status"] == "ok"]
    if not ok.empty:
        times = time_table(ok)
        times.to_csv(sweep_dir / "times.csv", index=False)
        files.append(sweep_dir / "times.csv")
        lines += ["## Median time per run [ms] (build + run), median [q1–q3] of the "
                  "repetitions, backend x qubits", ""]
        groups = list(times.groupby(["circuit", "depth", "noise"]))
        lines += _capped(len(groups), "times.csv")
        for (circuit, depth, noise), grp in groups[:MAX_GROUPS]:
            pivot = grp.assign(cell=_cells_ms(grp)).pivot(index="backend", columns="n_qubits",
                                                         values="cell")
            pivot.columns = [f"n={c}" for c in pivot.columns]
            lines += [_group_label(circuit, depth, noise), "", markdown_table(pivot), ""]
        speed = speedup_table(ok, reference)
        if reference is not None and speed.empty:
            lines += [f"No speedups: the reference backend `{reference}` has no ok rows.", ""]
        elif not speed.empty:
            speed.to_csv(sweep_dir / "speedup.csv", index=False)
            files.append(sweep_dir / "speedup.csv")
            lines += speedup_lines(speed, reference)
        if (times["runs"] < MIN_VALUES).any():
            lines += [FEW_NOTE, ""]
        memory = memory_table(ok)
        if not memory.empty:
            memory.to_csv(sweep_dir / "memory.csv", index=False)
            png = plot_memory(memory, sweep_dir / "memory_vs_qubits.png")
            files += [sweep_dir / "memory.csv", png]
            lines += [*memory_lines(memory), "![memory vs qubits](memory_vs_qubits.png)", ""]
        for x, name, title in (("n_qubits", "time_vs_qubits.png", "time vs qubits"),
                               ("depth", "time_vs_depth.png", "time vs depth")):
            if x == "depth" and times[times["depth"] > 0]["depth"].nunique() < 2:
                continue
            data = times if x == "n_qubits" else times[times["depth"] > 0]
            png = plot_time_vs(data, x, sweep_dir / name, title=title)
            if png:
                files.append(png)
                lines += [f"![{title}]({name})", ""]

    agree = agreement_table(df)
    if not agree.empty:
        agree.to_csv(sweep_dir / "agreement.csv")
        files.append(sweep_dir / "agreement.csv")
        worst = float(np.nanmax(agree.to_numpy()))
        lines += ["## Cross-backend agreement (pairwise TVD of exact noiseless distributions, "
                  "max over circuits)", "", f"Largest pairwise TVD: {worst:.2e}.", "",
                  markdown_table(agree, floatfmt="{:.1e}"), ""]
    ghz = ghz_table(ok)
    if not ghz.empty and (ghz["noise"] > 0).any():
        ghz.to_csv(sweep_dir / "ghz.csv", index=False)
        files += [sweep_dir / "ghz.csv", plot_ghz(ghz, sweep_dir / "ghz_vs_noise.png")]
        lines += ghz_lines(ghz)

    failed = df[df["status"] != "ok"]
    if not failed.empty:
        fail = failed.groupby(["backend", "status"]).agg(
            rows=("task_id", "size"), example=("error", "first"))
        fail["example"] = fail["example"].astype(str).str.slice(0, 160)
        fail.to_csv(sweep_dir / "failures.csv")
        files.append(sweep_dir / "failures.csv")
        lines += ["## Rows that did not run", "", markdown_table(fail), ""]
    md = "\n".join(lines) + "\n"
    files.append(write_text_atomic(md, sweep_dir / "summary.md"))
    return Summary(sweep_dir, md, files)
