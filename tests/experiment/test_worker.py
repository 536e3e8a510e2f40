"""The experiment's worker in-process: rows, error rows with the user's frames, held
column types, the class built once, timeouts; and the workload's conformance check."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from qray.config import load_config
from qray.experiment.spec import SPEC, worker_kwargs
from qray.experiment.worker import ExperimentInitError, ExperimentWorker
from qray.experiment.workload import plan, task_specs
from qray.results.held import read_held, table_of
from qray.results.writer import write_table_atomic
from qray.testing import check_workload
from tests.experiment.helpers import CLASS, FAILING, FUNCTION, write, yaml_file


def _rows(cfg, key: str | None = None) -> list[dict]:  # noqa: ANN001
    p = plan(cfg)
    rows = []
    workers: dict[str, ExperimentWorker] = {}
    for point in p.points:
        k = p.actors[point.point_id]
        if k not in workers:
            workers[k] = ExperimentWorker(**worker_kwargs(cfg, k))
        rows += workers[k].run_batch(task_specs(point, cfg, "t"))
    return rows


def test_function_rows_carry_arguments_outputs_and_the_task_seed(tmp_path: Path) -> None:
    write(tmp_path, "sq.py", FUNCTION)
    cfg = load_config(yaml_file(tmp_path, "experiment: sq.py:square\ngrid: {x: [1, 2]}\n"
                                           "params: {scale: 3}\nrepetitions: 2\n"))
    rows = _rows(cfg)
    assert [(r["x"], r["repetition"], r["y"]) for r in rows] == \
        [(1, 0, 3), (1, 1, 3), (2, 0, 12), (2, 1, 12)]
    assert all(r["status"] == "ok" and r["seed_seen"] == r["seed"] for r in rows)
    assert len({r["seed"] for r in rows}) == 4


def test_exceptions_and_type_changes_become_error_rows(tmp_path: Path) -> None:
    src = write(tmp_path, "flaky.py", FAILING)
    cfg = load_config(yaml_file(tmp_path, "experiment: flaky.py:flaky\ngrid: {x: [1, 2, 3, 4]}\n"))
    rows = _rows(cfg)
    by_x = {r["x"]: r for r in rows}
    assert by_x[2]["status"] == "error"
    err = by_x[2]["error"]
    assert err.startswith("ValueError: x=2 is not allowed") and str(src) in err
    assert 'raise ValueError("x=2 is not allowed")' in err  # the user's frame and its line
    assert "qray/" not in err  # none of qray's frames
    folder = tmp_path / "rows"
    table = table_of(rows, SPEC.load("schema"), folder)
    out = {r["x"]: r for r in table.to_pylist()}
    assert out[1]["status"] == out[4]["status"] == "ok" and out[4]["y"] == 4.0
    assert out[3]["status"] == "error" and out[3]["y"] is None
    assert "column 'y' got a string value ('three'), but earlier tasks gave it float64" \
        in out[3]["error"]
    assert read_held(folder)["y"] == "float64"
    write_table_atomic(table, folder / "a.parquet")
    later = table_of([{**rows[0], "task_id": "z", "y": 7}], SPEC.load("schema"), folder)
    assert later.column("y").to_pylist() == [7.0], "an int goes into a float64 column"
    assert pq.read_schema(folder / "a.parquet").field("y").type == later.schema.field("y").type


def test_unsupported_outputs_are_error_rows_that_say_what_is_allowed(tmp_path: Path) -> None:
    write(tmp_path, "odd.py", "def odd(x):\n    return {'z': 1j} if x else [1]\n")
    cfg = load_config(yaml_file(tmp_path, "experiment: odd.py:odd\ngrid: {x: [0, 1]}\n"))
    errors = sorted(r["error"].splitlines()[0] for r in _rows(cfg))
    assert errors == ["TypeError: output 'z' is complex (1j); return its real and imaginary "
                      "parts (or abs) as separate outputs",
                      "TypeError: the experiment returned a list; it must return a dict of "
                      "outputs (column name -> number, bool, string or list of numbers)"]


def test_a_class_is_built_once_per_actor_with_its_key_value(tmp_path: Path) -> None:
    write(tmp_path, "cls.py", CLASS)
    cfg = load_config(yaml_file(tmp_path, "experiment: cls.py:Squarer\n"
                                "grid: {backend: [a, b], x: [1, 2, 3]}\nactor_key: backend\n"))
    rows = _rows(cfg)
    assert len({r["instance"] for r in rows}) == 2
    assert {r["backend"] for r in rows if r["instance"] == rows[0]["instance"]} == {"a"}


def test_a_constructor_that_raises_is_an_init_error(tmp_path: Path) -> None:
    write(tmp_path, "bad.py", "class Bad:\n    def __init__(self):\n        raise OSError('no "
                              "device')\n    def __call__(self, x):\n        return {}\n")
    cfg = load_config(yaml_file(tmp_path, "experiment: bad.py:Bad\ngrid: {x: [1]}\n"))
    with pytest.raises(ExperimentInitError, match=r"Bad\(\) raised OSError: no device"):
        ExperimentWorker(**worker_kwargs(cfg, "worker-0"))


def test_a_call_past_timeout_s_is_a_timeout_row_and_asks_for_a_new_process(
        tmp_path: Path) -> None:
    write(tmp_path, "slow.py", "import time\ndef slow(t):\n    time.sleep(t)\n    return "
                               "{'slept': t}\n")
    cfg = load_config(yaml_file(tmp_path, "experiment: slow.py:slow\ngrid: {t: [0.0, 2.0, 0.1]}"
                                          "\ntimeout_s: 0.3\n"))
    p = plan(cfg)
    worker = ExperimentWorker(**worker_kwargs(cfg, "worker-0"))
    specs = [s for point in p.points for s in task_specs(point, cfg, "t")]
    rows = worker.run_batch(specs)
    assert [r["status"] for r in rows] == ["ok", "timeout"], "the batch stops after a timeout"
    assert "timeout_s=0.3" in rows[1]["error"]
    assert worker.should_recycle() == "a timed-out call could not be interrupted"


def test_check_workload_passes_for_the_experiment_workload() -> None:
    root = Path(__file__).resolve().parents[2]
    got = check_workload("experiment", root / "jobs" / "examples" / "ghz_damping.yaml",
                         ["grid.n=[2]", "grid.gamma=[0.1]", "params.shots=200",
                          "repetitions=1"])
    assert got["row"]["status"] == "ok" and 0 < got["row"]["fidelity"] <= 1
