"""The simulator summary on rows made in-process (no Ray)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from qray.results import rows_to_table, write_table_atomic
from qray.results.stats import FEW_NOTE
from qray.simulators.rows import SCHEMA
from qray.simulators.summary import load, plot_time_vs, speedup_table
from qray.simulators.worker import SimulatorWorker
from qray.summary import summarize_sweep


def _spec(i: int, backend: str, n: int, noise: float = 0.0) -> dict:
    return {"task_id": f"{backend}-{n}-{noise}-{i}", "point_id": f"{backend}{n}{noise}",
            "sweep_id": "s", "seed": i, "timeout_s": 60,
            "params": {"backend": backend, "circuit": "ghz", "n_qubits": n, "depth": 0,
                       "noise": noise, "noise_2q": None, "readout_error": 0.0, "shots": 500,
                       "circuit_seed": 1, "repetition": i}}


def test_summary_tables_plots_and_corrupt_file(tmp_path: Path) -> None:
    sweep = tmp_path / "s"
    (sweep / "simulators").mkdir(parents=True)
    (sweep / "sweep.json").write_text(json.dumps({"workload": "simulators"}))
    for backend in ("numpy", "stim"):
        w = SimulatorWorker(backend)
        for n in (3, 5):
            for noise in (0.0, 0.05):
                rows = [w.run_task(_spec(i, backend, n, noise)) for i in range(2)]
                write_table_atomic(rows_to_table(rows, SCHEMA),
                                   sweep / "simulators" / f"{backend}{n}{noise}.parquet")
    (sweep / "simulators" / "broken.parquet").write_bytes(b"PAR1 truncated")
    summary = summarize_sweep(sweep)
    md = summary.markdown
    assert "1 result file(s) skipped" in md and "broken.parquet" in md
    assert "| numpy |" in md and "| stim |" in md
    assert "Largest pairwise TVD: 0.00e+00" in md
    assert "GHZ population" in md
    assert (sweep / "time_vs_qubits.png").stat().st_size > 1000
    # no table pools sizes and depths into one number per noise or depth
    assert "per noise strength" not in md and "per depth" not in md
    assert {p.name for p in summary.files} >= {"summary.md", "times.csv", "agreement.csv"}


def _sweep_with_rows(tmp_path: Path, manifest: dict, reps: int = 4) -> Path:
    sweep = tmp_path / "s"
    (sweep / "simulators").mkdir(parents=True)
    (sweep / "sweep.json").write_text(json.dumps(manifest))
    for backend in ("numpy", "stim"):
        w = SimulatorWorker(backend)
        for n in (3, 5):
            rows = [w.run_task(_spec(i, backend, n)) for i in range(reps)]
            write_table_atomic(rows_to_table(rows, SCHEMA),
                               sweep / "simulators" / f"{backend}{n}.parquet")
    return sweep


def test_time_table_has_the_iqr_and_the_markdown_shows_it(tmp_path: Path) -> None:
    sweep = _sweep_with_rows(tmp_path, {"workload": "simulators"})
    md = summarize_sweep(sweep).markdown
    times = pd.read_csv(sweep / "times.csv")
    assert {"q1_total_s", "q3_total_s", "q1_run_s", "q3_run_s"} <= set(times.columns)
    assert (times["q1_total_s"] <= times["median_total_s"]).all()
    assert (times["median_total_s"] <= times["q3_total_s"]).all()
    assert (times["runs"] == 4).all()
    assert "median [q1–q3] of the repetitions" in md
    section = md.split("## Median time per run", 1)[1]
    row = next(line for line in section.splitlines() if line.startswith("| numpy |"))
    # 4 repetitions: each interval is marked as too few to conclude from, with a footnote
    assert re.search(r"\| [\d.e+-]+ \[[\d.e+-]+–[\d.e+-]+\]† \|", row), row
    assert FEW_NOTE in md
    assert "†" not in summarize_sweep(_sweep_with_rows(tmp_path / "five", {
        "workload": "simulators"}, reps=5)).markdown.split("## Median time per run", 1)[1] \
        .split("## Memory")[0]


def test_speedup_vs_the_slowest_backend_without_a_reference(tmp_path: Path) -> None:
    sweep = _sweep_with_rows(tmp_path, {"workload": "simulators"})
    md = summarize_sweep(sweep).markdown
    assert "## Speedup vs the slowest backend of each cell" in md
    speed = pd.read_csv(sweep / "speedup.csv")
    assert len(speed) == 4  # 2 backends x 2 sizes
    for _, cell in speed.groupby("n_qubits"):
        slowest = cell[cell["backend"] == cell["reference"]]
        assert len(slowest) == 1 and slowest["speedup"].item() == 1.0
        assert (cell["speedup"] >= 1.0).all()
    assert ((speed["ci_low"] <= speed["speedup"]) & (speed["speedup"] <= speed["ci_high"])).all()


def test_speedup_vs_the_configured_reference_backend(tmp_path: Path) -> None:
    sweep = _sweep_with_rows(tmp_path, {"workload": "simulators",
                                        "config": {"reference_backend": "stim"}})
    md = summarize_sweep(sweep).markdown
    assert "## Speedup vs `stim` (its median time / the backend's, bootstrap 95 % interval)" in md
    speed = pd.read_csv(sweep / "speedup.csv")
    assert set(speed["reference"]) == {"stim"}
    assert (speed.loc[speed["backend"] == "stim", ["speedup", "ci_low", "ci_high"]] == 1.0).all(
        axis=None)
    df, _ = load(sweep)
    ok = df[df["status"] == "ok"]
    for n in (3, 5):
        ref = ok[(ok["backend"] == "stim") & (ok["n_qubits"] == n)]["total_s"]
        num = ok[(ok["backend"] == "numpy") & (ok["n_qubits"] == n)]["total_s"]
        got = speed[(speed["backend"] == "numpy") & (speed["n_qubits"] == n)].iloc[0]
        assert got["speedup"] == pytest.approx(ref.median() / num.median())
        assert got["ci_low"] <= got["speedup"] <= got["ci_high"]
        assert got["runs"] == 4 and got["ref_runs"] == 4
    # seeded: the same rows give the same intervals
    again = speedup_table(ok, "stim")
    assert again[["speedup", "ci_low", "ci_high"]].to_numpy() == pytest.approx(
        speed[["speedup", "ci_low", "ci_high"]].to_numpy())


def test_speedups_against_a_backend_measured_under_two_settings() -> None:
    rows = [{"circuit": "ghz", "n_qubits": 3, "depth": 0, "noise": 0.0, "backend": b,
             "total_s": t} for b, ts in (("numpy [threads=1]", [4.0, 4.2, 3.8]),
                                         ("numpy [threads=2]", [2.0, 2.1, 1.9]),
                                         ("stim", [1.0, 1.0, 1.0]))
            for t in ts]
    speed = speedup_table(pd.DataFrame(rows), "numpy").set_index("backend")
    # the reference's slowest setting is the one the others are measured against
    assert set(speed["reference"]) == {"numpy [threads=1]"}
    assert speed.loc["stim", "speedup"] == pytest.approx(4.0)
    assert speed.loc["numpy [threads=2]", "speedup"] == pytest.approx(2.0)
    assert speedup_table(pd.DataFrame(rows), "qsim").empty  # the reference did not run


def test_plots_draw_iqr_error_bars_without_pyplot(tmp_path: Path) -> None:
    times = pd.DataFrame({"circuit": "ghz", "n_qubits": [3, 5], "depth": 0, "noise": 0.0,
                          "backend": "numpy", "median_total_s": [1e-3, 2e-3],
                          "q1_total_s": [0.5e-3, 1.5e-3], "q3_total_s": [2e-3, 4e-3]})
    png = plot_time_vs(times, "n_qubits", tmp_path / "t.png", title="t")
    assert png is not None and png.stat().st_size > 1000
    assert "matplotlib.pyplot" not in sys.modules or _pyplot_untouched()


def _pyplot_untouched() -> bool:
    import matplotlib.pyplot as plt

    return not plt.get_fignums()


def test_memory_per_run_is_tabulated_against_the_statevector(tmp_path: Path) -> None:
    sweep = tmp_path / "s"
    (sweep / "simulators").mkdir(parents=True)
    (sweep / "sweep.json").write_text(json.dumps({"workload": "simulators"}))
    w = SimulatorWorker("numpy")
    rows = [w.run_task(_spec(i, "numpy", n)) for n in (4, 20) for i in range(2)]
    write_table_atomic(rows_to_table(rows, SCHEMA), sweep / "simulators" / "m.parquet")
    md = summarize_sweep(sweep).markdown
    memory = pd.read_csv(sweep / "memory.csv")
    big = memory.loc[memory["n_qubits"] == 20, "memory_mb"].item()
    assert big >= 16  # at least the 2**20 x 16-byte statevector, 16 MiB
    section = md.split("## Memory per run", 1)[1]
    assert "| statevector 2^n x 16 B | 0.000244 | 16 |" in section
    assert (sweep / "memory_vs_qubits.png").is_file() and (sweep / "memory_vs_qubits.pdf").is_file()


def test_noise_section_plots_each_backend_against_the_exact_curve(tmp_path: Path) -> None:
    from qray.simulators.ghz_exact import ghz_population

    sweep = tmp_path / "s"
    (sweep / "simulators").mkdir(parents=True)
    (sweep / "sweep.json").write_text(json.dumps({"workload": "simulators"}))
    for backend in ("numpy", "stim"):
        w = SimulatorWorker(backend)
        rows = [w.run_task(_spec(i, backend, 4, p)) for p in (0.0, 0.02, 0.1) for i in range(2)]
        write_table_atomic(rows_to_table(rows, SCHEMA), sweep / "simulators" / f"{backend}.parquet")
    md = summarize_sweep(sweep).markdown
    ghz = pd.read_csv(sweep / "ghz.csv")
    assert len(ghz) == 6 and (ghz["shots"] == 1000).all()  # two repetitions pooled
    assert ghz["exact"].tolist() == pytest.approx([ghz_population(4, p) for p in ghz["noise"]])
    # a binomial sample of 1000 shots lies within 4 standard errors of the exact value
    assert (ghz["z"].abs().fillna(0) < 4).all()
    section = md.split("## GHZ population", 1)[1]
    assert "| exact |" in section and "±" in section
    assert (sweep / "ghz_vs_noise.png").stat().st_size > 1000


def test_time_vs_qubits_draws_every_depth(tmp_path: Path) -> None:
    times = pd.DataFrame({"circuit": "random", "n_qubits": [3, 5, 3, 5], "depth": [5, 5, 10, 10],
                          "noise": 0.0, "backend": "numpy",
                          "median_total_s": [1e-3, 2e-3, 2e-3, 4e-3],
                          "q1_total_s": [0.5e-3, 1.5e-3, 1.5e-3, 3e-3],
                          "q3_total_s": [2e-3, 4e-3, 3e-3, 5e-3]})
    from matplotlib.figure import Figure

    seen: list[Figure] = []
    import qray.plotstyle as plotstyle

    real = plotstyle.save

    def keep(fig, path):  # noqa: ANN001, ANN202
        seen.append(fig)
        return real(fig, path)

    plotstyle.save = keep
    try:
        plot_time_vs(times, "n_qubits", tmp_path / "t.png", title="t")
    finally:
        plotstyle.save = real
    ax = seen[0].axes[0]
    styles = {line.get_linestyle() for line in ax.get_lines() if line.get_marker() == "o"}
    assert styles == {"-", "--"}  # depth 10 solid, depth 5 dashed
    assert "ms" in ax.get_ylabel()
    legend = [t.get_text() for t in seen[0].legends[0].get_texts()]
    assert "depth 5" in legend and "depth 10" in legend
