"""Comparing two real sweeps: ``qray.results.compare`` and the ``qray compare`` command."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from qray.results import load
from qray.results.compare import CompareError, cell_columns, compare, write_comparison
from qray.results.ledger import write_rows
from qray.results.reader import parquet_files
from tests.conftest import ROOT
from tests.results.conftest import Sweeps

INTERVAL = r"[\d.e+-]+ \[[\d.e+-]+–[\d.e+-]+\]"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "actors.cli", "compare", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cells_are_the_task_parameters_not_repetitions_timings_or_provenance(
        sweeps: Sweeps) -> None:
    cells = cell_columns(load(sweeps.a))
    assert {"backend", "circuit", "n_qubits", "depth", "noise"} <= set(cells)
    assert not {"repetition", "settings", "task_id", "seed", "run_s", "wall_s", "hostname",
                "python", "cpu_model"} & set(cells)
    generic = pd.DataFrame({"task_id": ["a", "b"], "status": "ok", "learner": ["x", "y"],
                            "scale": [1, 2], "repetition": [0, 1], "wall_s": [0.1, 0.2],
                            "reward": [1.5, 2.5], "trace": [[1], [2]]})
    assert cell_columns(generic) == ["learner", "scale"]


def test_compare_gives_ratios_of_medians_with_intervals(sweeps: Sweeps) -> None:
    comp = compare(sweeps.a, sweeps.b)
    assert comp.metric == "run_s"
    assert len(comp.table) == 4 and comp.only_a == 0 and comp.only_b == 2  # n=4 only in B
    a, b = load(sweeps.a), load(sweeps.b)
    for _, cell in comp.table.iterrows():
        pick_a = a[(a["backend"] == cell["backend"]) & (a["n_qubits"] == cell["n_qubits"])]
        pick_b = b[(b["backend"] == cell["backend"]) & (b["n_qubits"] == cell["n_qubits"])]
        assert cell["runs_a"] == 3 and cell["runs_b"] == 3
        assert cell["ratio"] == pytest.approx(pick_b["run_s"].median() / pick_a["run_s"].median())
        assert cell["ci_low"] <= cell["ratio"] <= cell["ci_high"]
    ratios = comp.table["ratio"].to_numpy()
    assert comp.geometric_mean == pytest.approx(float(np.exp(np.log(ratios).mean())))
    # A ran without warmup, B with one: the settings that differ are listed per cell
    assert len(comp.settings) == 4
    assert comp.settings["settings_a"].str.contains("warmup=0").all()
    assert comp.settings["settings_b"].str.contains("warmup=1").all()
    assert comp.provenance_changes == {}  # same machine and versions
    again = compare(sweeps.a, sweeps.b)
    pd.testing.assert_frame_equal(again.table, comp.table)  # seeded bootstrap


def test_cells_with_fewer_than_five_values_conclude_nothing(sweeps: Sweeps) -> None:
    from qray.results.compare import TOO_FEW, comparison_markdown
    from qray.results.stats import FEW_MARK

    comp = compare(sweeps.a, sweeps.b)  # 3 repetitions a side
    assert (comp.table["change"] == TOO_FEW).all()
    md = comparison_markdown(comp)
    assert "4 cell(s) have fewer than 5 values on a side, too few to conclude" in md
    assert md.count(FEW_MARK) >= 5


def test_metric_is_selectable_and_checked(sweeps: Sweeps) -> None:
    comp = compare(sweeps.a, sweeps.b, metric="build_s")
    assert comp.metric == "build_s" and len(comp.table) == 4
    with pytest.raises(CompareError, match="metric 'run' is not a numeric column.*'run_s'"):
        compare(sweeps.a, sweeps.b, metric="run")


def test_sweeps_without_a_shared_cell_are_refused(sweeps: Sweeps, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "simulators").mkdir(parents=True)
    (other / "sweep.json").write_bytes((sweeps.a / "sweep.json").read_bytes())
    for path in parquet_files(sweeps.a):  # the same rows, as if of another circuit family
        table = pq.read_table(path)
        table = table.set_column(table.schema.get_field_index("circuit"), "circuit",
                                 [["qft"] * table.num_rows])
        write_rows(table, other / "simulators" / path.name)
    with pytest.raises(CompareError, match="share no cell"):
        compare(sweeps.a, other)


def test_written_files(sweeps: Sweeps, tmp_path: Path) -> None:
    comp = compare(sweeps.a, sweeps.b)
    files = write_comparison(comp, tmp_path / "cmp")
    assert [p.name for p in files] == ["compare.md", "compare.csv", "compare.png"]
    md = files[0].read_text()
    assert "| backend | n_qubits | runs A/B |" in md and "B/A [95 %]" in md
    assert "## Measured under other settings" in md
    assert "None: same host, hardware and versions." in md
    csv = pd.read_csv(files[1])
    assert list(csv["ratio"]) == pytest.approx(list(comp.table["ratio"]))


def test_cli_writes_compare_md_and_a_plot(sweeps: Sweeps, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _cli(str(sweeps.root_a), str(sweeps.root_b / "latest"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    md = (out / "compare.md").read_text()
    assert md.strip() in done.stdout
    rows = [line for line in md.splitlines() if line.startswith(("| numpy |", "| stim |"))]
    assert len(rows) >= 4 and all(re.search(INTERVAL, r) for r in rows[:4])
    assert "2 only in B" in md
    assert (out / "compare.png").stat().st_size > 1000
    assert f"wrote compare.md, compare.csv, compare.png in {out}" in done.stdout


def test_cli_refuses_a_bad_path_and_a_bad_metric(sweeps: Sweeps, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    done = _cli(str(sweeps.a), str(missing))
    assert done.returncode == 2
    assert f"error: {missing}: no such folder" in done.stderr
    done = _cli(str(sweeps.a), str(sweeps.b), "--metric", "nonsense", "--out", str(tmp_path))
    assert done.returncode == 2 and "metric 'nonsense'" in done.stderr
    assert not (tmp_path / "compare.md").exists()
