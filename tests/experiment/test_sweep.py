"""Experiments through the real runtime (the shared embedded Ray): a function and a class
(built once per actor), error rows, a resumed call, a spec registered from Python, and a
worker that cannot be built stopping the sweep with its cause."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from actors.experiment import run
from qray.errors import QrayError
from tests.experiment.helpers import CLASS, FAILING, FUNCTION, write

pytestmark = pytest.mark.usefixtures("ray_session")
QUIET = {"summarize": False, "ray": {"include_dashboard": False}, "progress": False}


def _runs(df) -> list[dict]:  # noqa: ANN001
    lines = (Path(df.attrs["sweep_dir"]) / "runs.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_a_function_experiment_runs_and_a_second_call_resumes(tmp_path: Path) -> None:
    src = write(tmp_path, "sq.py", FUNCTION)
    kw = dict(params={"scale": 2.0}, repetitions=2, output_dir=str(tmp_path / "out"), **QUIET)
    df = run(f"{src}:square", {"x": [1, 2, 3]}, **kw)
    assert len(df) == 6 and (df["status"] == "ok").all() and df["task_id"].is_unique
    assert df["y"].tolist() == [2.0, 2.0, 8.0, 8.0, 18.0, 18.0]  # plan order
    assert df["worker_pid"].nunique() <= 2 and set(df["host"]) and df["node_id"].notna().all()
    again = run(f"{src}:square", {"x": [1, 2, 3]}, **kw)
    assert _runs(again)[-1]["run"] == 0 and again["task_id"].tolist() == df["task_id"].tolist()


def test_a_class_is_built_once_per_actor(tmp_path: Path) -> None:
    src = write(tmp_path, "cls.py", CLASS)
    df = run(f"{src}:Squarer", {"backend": ["a", "b"], "x": list(range(6))}, repetitions=2,
             actor_key="backend", output_dir=str(tmp_path / "out"),
             actor={"batch_size": 2}, **QUIET)
    assert len(df) == 24 and (df["status"] == "ok").all()
    per_backend = df.groupby("backend")["instance"].nunique().to_dict()
    assert per_backend == {"a": 1, "b": 1}, "one construction per actor, not per task or batch"
    assert set(df["actor"]) == {"qray/experiment/a", "qray/experiment/b"}


def test_an_exception_and_a_type_change_become_error_rows(tmp_path: Path) -> None:
    src = write(tmp_path, "flaky.py", FAILING)
    df = run(f"{src}:flaky", {"x": [1, 2, 3, 4]}, output_dir=str(tmp_path / "out"),
             max_parallel=1, **QUIET)
    st = dict(zip(df["x"], df["status"], strict=True))
    assert st == {1: "ok", 2: "error", 3: "error", 4: "ok"}
    errors = dict(zip(df["x"], df["error"], strict=True))
    assert errors[2].startswith("ValueError: x=2 is not allowed") and "flaky.py" in errors[2]
    assert "column 'y' got a string value" in errors[3] and "float64" in errors[3]


def test_a_notebook_callable_travels_by_value(tmp_path: Path) -> None:
    def cube(x: int, seed: int) -> dict:
        return {"x3": x ** 3, "seed_ok": seed > 0}

    df = run(cube, {"x": [1, 2]}, output_dir=str(tmp_path / "out"), **QUIET)
    assert df["x3"].tolist() == [1, 8] and df["seed_ok"].all()


def test_a_constructor_that_raises_stops_the_sweep_with_its_cause(tmp_path: Path) -> None:
    src = write(tmp_path, "bad.py", "class Bad:\n    def __init__(self):\n        raise "
                                    "OSError('no device')\n    def __call__(self, x):\n"
                                    "        return {}\n")
    t0 = time.monotonic()
    with pytest.raises(QrayError, match=r"Bad\(\) raised OSError: no device") as err:
        run(f"{src}:Bad", {"x": list(range(8))}, output_dir=str(tmp_path / "out"), **QUIET)
    assert "every retry would fail the same way" in str(err.value)
    assert time.monotonic() - t0 < 60, "stopped at once, not after a minute of retries"


def test_a_spec_registered_from_python_runs_in_the_workers(tmp_path: Path) -> None:
    from actors import sweep
    from qray.config import config_from_dict
    from qray.workloads import register
    from tests.experiment.registered_spec import SPEC

    register(SPEC)
    cfg = config_from_dict({"workload": "tinyreg", "output_dir": str(tmp_path),
                            "summarize": False, "ray": {"include_dashboard": False}})
    report = sweep(cfg)
    assert report.status_counts == {"ok": 3} and not report.trial_errors


def test_the_starter_of_qray_new_runs_as_it_is(tmp_path: Path) -> None:
    from actors import sweep
    from actors.cli import main

    assert main(["new", "experiment", "bell_flip", "--dir", str(tmp_path)]) == 0
    assert main(["new", "experiment", "bell_flip", "--dir", str(tmp_path)]) == 2  # no overwrite
    assert main(["new", "experiment", "not-a-name", "--dir", str(tmp_path)]) == 2
    out = f"output_dir={tmp_path / 'out'}"
    for yaml_name in ("bell_flip.yaml", "bell_flip_class.yaml"):
        report = sweep(tmp_path / yaml_name, [out, "ray.include_dashboard=false"])
        assert report.failed == 0 and report.status_counts.get("ok") == report.total_tasks > 0
        assert "agree" in report.summary_md


def test_experiment_rows_read_like_any_workload(tmp_path: Path) -> None:
    import duckdb

    from qray.results.compare import compare

    src = write(tmp_path, "sq.py", FUNCTION)
    df = run(f"{src}:square", {"x": [1, 2]}, params={"scale": 1.5}, repetitions=3,
             output_dir=str(tmp_path / "out"), **QUIET)
    sweep_dir = df.attrs["sweep_dir"]
    comp = compare(sweep_dir, sweep_dir, metric="y")
    assert set(comp.cells) == {"x", "scale"} and len(comp.table) == 2
    got = duckdb.sql(f"select x, median(y) from read_parquet('{sweep_dir}/experiment/*.parquet',"
                     " union_by_name=true) group by x order by x").fetchall()
    assert got == [(1, 1.5), (2, 6.0)]


def test_an_actor_whose_memory_grows_is_recycled_and_one_that_does_not_is_kept(
        tmp_path: Path) -> None:
    leak = write(tmp_path, "leak.py", "import os\n_KEPT = []\n\n\ndef leak(x, mb):\n"
                                      "    _KEPT.append(bytearray(mb * 2**20))\n"
                                      "    return {'worker_pid': os.getpid()}\n")
    kw = dict(output_dir=str(tmp_path / "out"), max_parallel=1,
              actor={"batch_size": 1, "max_rss_growth_mb": 64}, **QUIET)
    grows = run(f"{leak}:leak", {"x": list(range(12))}, params={"mb": 40}, **kw)
    assert (grows["status"] == "ok").all()
    assert grows["worker_pid"].nunique() >= 3, "a leaking process is replaced"
    flat = run(f"{leak}:leak", {"x": list(range(12))}, params={"mb": 0}, **kw)
    assert flat["worker_pid"].nunique() == 1, "no growth, no restart (no task-count limit)"
