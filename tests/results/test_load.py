"""``qray.results.load`` on a real sweep, and the same dataset read by DuckDB and by
``ray.data.read_parquet``."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import qray.results
from qray.errors import QrayError
from qray.results import NoDatasetError, load
from qray.results.reader import parquet_files
from qray.results.writer import TMP_PREFIX
from tests.results.conftest import Sweeps, start_small_ray

PROVENANCE = ("hostname", "memory_gb", "os", "python", "ray", "qray", "git_rev", "git_dirty",
              "libraries")


def test_load_returns_the_data_rows_with_provenance(sweeps: Sweeps) -> None:
    sweep = sweeps.a
    beside = {p.suffix for p in sweep.iterdir() if p.is_file()}
    assert {".md", ".csv", ".png", ".json"} <= beside  # what pd.read_parquet trips on
    df = qray.results.load(sweep)
    assert len(df) == 12 and df["task_id"].is_unique  # 2 backends x 2 sizes x 3 repetitions
    assert set(df["status"]) == {"ok"} and set(df["backend"]) == {"numpy", "stim"}
    assert (df["run_s"] > 0).all()
    manifest = json.loads((sweep / "sweep.json").read_text())
    prov = manifest["provenance"]
    for key in PROVENANCE:
        assert key in df.columns, key
    assert (df["python"] == prov["python"]).all() and (df["ray"] == prov["ray"]).all()
    assert (df["git_rev"] == prov["git_rev"]).all()
    assert json.loads(df["libraries"].iloc[0]) == prov["libraries"]
    assert (df["sweep_id"] == manifest["sweep_id"]).all()
    # the rows' own per-node columns are kept, not replaced by the driver's
    assert df["cpu_model"].notna().all() and (df["cpu_count"] > 0).all()
    assert df.attrs["sweep_dir"] == str(sweep)


def test_every_way_of_naming_the_sweep_loads_the_same_rows(sweeps: Sweeps) -> None:
    ids = sorted(load(sweeps.a)["task_id"])
    assert sorted(load(sweeps.root_a / "latest")["task_id"]) == ids
    assert sorted(load(sweeps.root_a)["task_id"]) == ids  # the results folder holding latest
    assert sorted(load(str(sweeps.a / "simulators"))["task_id"]) == ids


def test_temp_files_and_a_rerun_row_do_not_add_rows(sweeps: Sweeps, tmp_path: Path) -> None:
    sweep = tmp_path / sweeps.a.name
    shutil.copytree(sweeps.a, sweep)
    data = sweep / "simulators"
    first = parquet_files(data)[0]
    # a write in flight, and a task whose row was written again by a later run
    shutil.copy(first, data / f"{TMP_PREFIX}{first.name}")
    again = data / first.name.replace("-00000", "-00099")
    shutil.copy(first, again)
    newer = first.stat().st_mtime + 60
    os.utime(again, (newer, newer))
    df = load(sweep)
    assert len(df) == 12 and df["task_id"].is_unique


def test_a_results_folder_without_latest_never_mixes_sweeps(sweeps: Sweeps,
                                                           tmp_path: Path) -> None:
    from qray.results.compare import compare

    root = tmp_path / "results"
    root.mkdir()
    shutil.copytree(sweeps.a, root / sweeps.a.name)
    ids = sorted(load(sweeps.a)["task_id"])
    assert sorted(load(root)["task_id"]) == ids  # one sweep: that one
    shutil.copytree(sweeps.b, root / f"{sweeps.b.name}-copy")
    with pytest.raises(NoDatasetError, match=r"a results folder with 2 sweeps and no 'latest' "
                                             r"link .*pass one sweep's folder"):
        load(root)
    with pytest.raises(NoDatasetError, match="2 sweeps"):
        compare(root, sweeps.b)


def test_a_path_without_rows_is_refused_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-sweep"
    with pytest.raises(NoDatasetError, match=f"{missing}: no such folder"):
        load(missing)
    empty = tmp_path / "empty"
    (empty / "simulators").mkdir(parents=True)
    (empty / "sweep.json").write_text(json.dumps({"workload": "simulators"}))
    (empty / "summary.md").write_text("# nothing\n")
    with pytest.raises(NoDatasetError, match=f"{empty}: no result rows"):
        load(empty)
    (empty / "simulators" / "chunk-x-1-00000.parquet").write_bytes(b"PAR1 truncated")
    with pytest.raises(NoDatasetError, match="no readable result rows in 1 Parquet file"):
        load(empty)
    assert issubclass(NoDatasetError, QrayError)


def test_duckdb_reads_the_dataset(sweeps: Sweeps) -> None:
    duckdb = pytest.importorskip("duckdb", reason="pip install duckdb (the test extra)")
    sweep = sweeps.a
    query = (f"select backend, count(*) as n, median(run_s) as med "
             f"from read_parquet('{sweep}/simulators/*.parquet', union_by_name=true) "
             "where status = 'ok' group by backend order by backend")
    got = duckdb.sql(query).fetchall()
    df = load(sweep)
    want = df.groupby("backend")["run_s"].agg(["size", "median"])
    assert [(b, n) for b, n, _ in got] == [(b, int(n)) for b, n in want["size"].items()]
    for backend, _, med in got:
        assert med == pytest.approx(want.loc[backend, "median"])
    files = [str(p) for p in parquet_files(sweep)]
    listed = duckdb.sql(f"select count(distinct task_id) from read_parquet({files!r})")
    assert listed.fetchall() == [(12,)]


def test_ray_data_reads_the_dataset(sweeps: Sweeps) -> None:
    import ray

    started = start_small_ray()
    try:
        files = [str(p) for p in parquet_files(sweeps.a)]
        ds = ray.data.read_parquet(files).select_columns(["task_id", "backend", "run_s"])
        assert ds.count() == 12
        rows = ds.take_all()
        assert {r["backend"] for r in rows} == {"numpy", "stim"}
        assert sorted(r["task_id"] for r in rows) == sorted(load(sweeps.a)["task_id"])
    finally:
        if started:
            ray.shutdown()
