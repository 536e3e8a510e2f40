"""Summary of a qkernels sweep: the quantum-kernel SVM per backend, tile, qubits and
layers (k-fold mean +- std) next to the classical RBF-SVM reference on the same features,
kernel time, entries per second and speedup per backend, and the product-kernel flag."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from qray.qkernels.rows import SCHEMA, WORKLOAD
from qray.results import read_dataset
from qray.results.tables import markdown_table
from qray.results.writer import write_text_atomic
from qray.summary import Summary, header_lines

log = logging.getLogger(__name__)

GROUP = ["features", "n_qubits", "layers"]


def results_table(ok: pd.DataFrame) -> pd.DataFrame:
    """One row per (features, n_qubits, layers, backend, tile) plus one RBF reference row
    per (features, n_qubits)."""
    ref = "numpy" if "numpy" in set(ok["backend"]) else ok["backend"].iloc[0]
    base = ok[ok["backend"] == ref].set_index([*GROUP, "tile"])["kernel_s"]
    rows = []
    for (features, n_qubits), part in ok.groupby(["features", "n_qubits"], sort=True):
        first = part.iloc[0]
        rows.append({"features": features, "n_qubits": n_qubits, "layers": "",
                     "kernel": "RBF-SVM (classical reference)", "tile": "",
                     "accuracy": f"{first['rbf_accuracy']:.3f}",
                     "f1": f"{first['rbf_f1']:.3f}", "roc_auc": f"{first['rbf_roc_auc']:.3f}",
                     "balanced_acc": f"{first['rbf_balanced_accuracy']:.3f}",
                     "kernel_s": "", "entries/s": "", "speedup": "", "= prod cos²": ""})
        for r in part.sort_values(["layers", "backend", "tile"]).itertuples():
            key = (r.features, r.n_qubits, r.layers, r.tile)
            speedup = base.get(key, float("nan")) / r.kernel_s if key in base.index else float("nan")
            rows.append({
                "features": features, "n_qubits": n_qubits, "layers": r.layers,
                "kernel": f"quantum, {r.backend} ({r.precision}, {r.workers} workers)",
                "tile": r.tile,
                "accuracy": f"{r.accuracy:.3f} ± {r.accuracy_std:.3f}",
                "f1": f"{r.f1:.3f}", "roc_auc": f"{r.roc_auc:.3f}",
                "balanced_acc": f"{r.balanced_accuracy:.3f}",
                "kernel_s": f"{r.kernel_s:.3f}", "entries/s": f"{r.entries_per_s:.3g}",
                "speedup": f"{speedup:.2f}x" if speedup == speedup else "",
                "= prod cos²": "YES" if r.product_kernel else "no",
            })
    return pd.DataFrame(rows)


def plot_throughput(ok: pd.DataFrame, path: Path) -> Path | None:
    """Bar chart of kernel entries per second per backend (best tile)."""
    from qray import plotstyle

    best = ok.groupby(["backend", "n_qubits", "layers"])["entries_per_s"].max().reset_index()
    if best.empty:
        return None
    labels = [f"{b}\n{q}q L{n_layers}" for b, q, n_layers in
              zip(best["backend"], best["n_qubits"], best["layers"], strict=True)]
    fig, axes = plotstyle.figure(width=max(4, 0.9 * len(best)), height=3.5)
    ax = axes[0][0]
    # points on a log axis: bars on a log scale exaggerate small differences
    ax.plot(range(len(best)), best["entries_per_s"], "o")
    ax.grid(True, axis="y", which="both", alpha=0.3)
    ax.set_xticks(range(len(best)), labels, fontsize=7)
    ax.set_ylabel("kernel entries / s")
    ax.set_yscale("log")
    plotstyle.title(ax, "Gram throughput (embedding + GEMM + scheduling), best tile",
                    {"precision": ", ".join(sorted(map(str, ok["precision"].unique())))}
                    if "precision" in ok else None)
    return plotstyle.save(fig, path)


def summarize(sweep_dir: Path) -> Summary:
    """Write summary.md, results.csv and throughput.png."""
    table, problems = read_dataset(sweep_dir / WORKLOAD, schema=SCHEMA)
    df = table.to_pandas()
    files: list[Path] = []
    lines = header_lines(sweep_dir, WORKLOAD, problems)
    ok = df[df["status"] == "ok"] if not df.empty else df
    if ok.empty:
        lines.append("No successful rows yet." if df.empty or ok.empty else "")
    else:
        first = ok.iloc[0]
        lines += [f"Dataset `{first['dataset']}`: {first['n_samples']} samples, "
                  f"{first['n_classes']} classes; {first['folds']}-fold stratified CV, "
                  f"SVM C = {first['svm_c']:g}. Accuracy is the k-fold mean ± std; the RBF "
                  "row is a classical SVM on the same features and folds. `speedup` is the "
                  "kernel time of the numpy backend over the row's.", ""]
        results = results_table(ok)
        results.to_csv(sweep_dir / "results.csv", index=False)
        files.append(sweep_dir / "results.csv")
        lines += [markdown_table(results, index=False), ""]
        flagged = ok[ok["product_kernel"]]
        if not flagged.empty:
            lines += [f"**{flagged['point_id'].nunique()} point(s) computed the classical "
                      "product kernel** prod cos²(Δx/2): with one layer the entangler acts "
                      "after the only encoding and cancels from every overlap. Use "
                      "`layers >= 2`.", ""]
        png = plot_throughput(ok, sweep_dir / "throughput.png")
        if png:
            files.append(png)
            lines += [f"![throughput]({png.name})", ""]
    failed = df[df["status"] != "ok"] if not df.empty else df
    if not failed.empty:
        lines += ["## Points that failed", ""] + [
            f"- {r.backend} n_qubits={r.n_qubits} layers={r.layers}: {str(r.error)[:200]}"
            for r in failed.itertuples()] + [""]
    md = "\n".join(lines) + "\n"
    files.append(write_text_atomic(md, sweep_dir / "summary.md"))
    return Summary(sweep_dir, md, files)
