"""Hand-edited and hostile result folders: each case copies one finished sweep, damages
it the way a careless or hostile user would, then reads, summarizes and reruns it. Each
ends in a clear error before any work, or in correct behaviour: the sweep's rows exactly
once each, none lost, files qray did not write never read, rewritten or deleted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import actors
from qray.errors import QrayError
from qray.results import load, read_dataset
from qray.results.load import NoDatasetError
from qray.summary import summarize_sweep
from tests.reliability.helpers import figure, refused

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "simulators.yaml"
OVER = ["ray.include_dashboard=false", "summarize=false", "backends=[numpy,stim]",
        "circuits=[ghz]", "n_qubits=[3,4,5]", "depth=[2]", "repetitions=2", "warmup=0",
        "execution.chunk_tasks=2", "sweep_id=edited"]
N_TASKS = 12

#: every case of this file that ran: (case, outcome)
SEEN: list[tuple[str, str]] = []


@pytest.fixture(scope="module", autouse=True)
def _figures() -> None:
    yield
    figure("hand-edited folders", cases=len(SEEN),
           refused=sum(1 for _, o in SEEN if o == "refused"),
           handled=sum(1 for _, o in SEEN if o == "handled"))


@pytest.fixture(scope="module")
def finished(ray_session, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with the finished 12-task sweep ``edited`` (6 chunk files) and a
    second sweep ``other`` of other tasks (shots=20)."""
    out = tmp_path_factory.mktemp("finished")
    report = actors.sweep(CONF, [*OVER, f"output_dir={out}"])
    assert report.complete and len(list((out / "edited" / "simulators").glob("*.parquet"))) == 6
    actors.sweep(CONF, [*OVER, f"output_dir={out}", "shots=20", "sweep_id=other"])
    actors.sweep(CONF, [*OVER, f"output_dir={out}"])  # `latest` names `edited` again
    return out


def _copy(finished: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    shutil.copytree(finished, out, symlinks=True)
    return out, out / "edited"


def _rerun(out: Path, *extra: str) -> Any:
    return actors.sweep(CONF, [*OVER, f"output_dir={out}", *extra])


def _rows(sweep: Path) -> pa.Table:
    table, _ = read_dataset(sweep / "simulators")
    return table


def _chunks(sweep: Path) -> list[Path]:
    return sorted((sweep / "simulators").glob("chunk-*.parquet"))


def _exactly_once(sweep: Path) -> None:
    rows = _rows(sweep)
    assert rows.num_rows == N_TASKS and pc.count_distinct(rows.column("task_id")).as_py() == N_TASKS
    assert set(rows.column("status").to_pylist()) == {"ok"}


def _handled(case: str) -> None:
    SEEN.append((case, "handled"))


def _refused(case: str, message: str) -> None:
    SEEN.append((case, "refused"))
    refused(f"{case}: {message}")


# --- rows qray did not write -------------------------------------------------------------


def test_a_copy_under_another_name_with_edited_values_never_replaces_rows(
        finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    original = _chunks(sweep)[0]
    before = {p: p.read_bytes() for p in _chunks(sweep)}
    table = pq.read_table(original)
    edited = table.set_column(table.schema.get_field_index("run_s"), "run_s",
                              pa.array([999.0] * table.num_rows))
    copy = sweep / "simulators" / "mine.parquet"
    pq.write_table(edited, copy)
    rows, problems = read_dataset(sweep / "simulators")
    assert 999.0 not in rows.column("run_s").to_pylist()
    assert [(p.path.name, p.kind) for p in problems] == [("mine.parquet", "foreign")]
    assert "not written by this sweep" in summarize_sweep(sweep).markdown
    rerun = _rerun(out)
    assert rerun.run_tasks == 0 and rerun.skipped_tasks == N_TASKS
    assert {p: p.read_bytes() for p in _chunks(sweep)} == before  # nothing rewritten
    assert copy.exists()  # nor the copy touched
    _exactly_once(sweep)
    _handled("chunk copied under another name, values edited")


def test_a_duplicate_under_a_qray_name_is_not_counted(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    shutil.copy(_chunks(sweep)[1], sweep / "simulators" / "chunk-20990101T000000-1-00000.parquet")
    _exactly_once(sweep)
    rerun = _rerun(out)
    assert rerun.run_tasks == 0
    _exactly_once(sweep)
    _handled("chunk duplicated under a qray name")


def test_another_sweeps_chunk_copied_in_is_not_counted(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    theirs = sorted((out / "other" / "simulators").glob("chunk-*.parquet"))[0]
    shutil.copy(theirs, sweep / "simulators" / theirs.name)
    rows, problems = read_dataset(sweep / "simulators", plan=set())  # no plan filter
    assert rows.num_rows == 0 and theirs.name in {p.path.name for p in problems}
    _exactly_once(sweep)
    assert _rerun(out).run_tasks == 0
    _handled("another sweep's chunk copied in under its qray name")


def test_a_chunk_edited_in_place_to_other_statuses_is_run_again_and_kept(
        finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    target = _chunks(sweep)[2]
    table = pq.read_table(target)
    pq.write_table(table.set_column(table.schema.get_field_index("status"), "status",
                                    pa.array(["error"] * table.num_rows)), target)
    _, problems = read_dataset(sweep / "simulators")
    assert [(p.path.name, p.kind) for p in problems] == [(target.name, "altered")]
    assert "changed since qray wrote it" in problems[0].reason
    rerun = _rerun(out)
    assert rerun.run_tasks == table.num_rows
    assert (target.parent / (target.name + ".altered")).exists()  # kept, no longer read
    _exactly_once(sweep)
    _handled("two files holding one task with different statuses (a chunk edited)")


def test_a_chunk_truncated_mid_write_is_run_again(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    target = _chunks(sweep)[3]
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    rerun = _rerun(out)
    assert rerun.run_tasks == 2
    assert (target.parent / (target.name + ".unreadable")).exists()
    _exactly_once(sweep)
    _handled("chunk file truncated mid-write")


def test_a_temp_file_of_a_killed_writer_is_ignored_then_removed(
        finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    chunk = _chunks(sweep)[0]
    dead = subprocess.Popen(["true"])
    dead.wait()
    tmp = sweep / "simulators" / f".tmp-{chunk.name}.{dead.pid}.deadbeef"
    tmp.write_bytes(chunk.read_bytes()[:100])
    _exactly_once(sweep)
    assert _rerun(out).run_tasks == 0
    assert not tmp.exists()
    _exactly_once(sweep)
    _handled("temp file of a writer killed mid-write")


def test_a_deleted_ledger_reads_no_file_and_loses_none(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    (sweep / "simulators" / "files.jsonl").unlink()
    before = {p: p.read_bytes() for p in _chunks(sweep)}
    rows, problems = read_dataset(sweep / "simulators")
    assert rows.num_rows == 0 and {p.kind for p in problems} == {"foreign"}
    rerun = _rerun(out)
    assert rerun.run_tasks == N_TASKS  # nothing vouches for the old rows: run again
    assert {p: p.read_bytes() for p in before} == before  # and none of them lost
    _exactly_once(sweep)
    _handled("files.jsonl deleted")


def test_a_torn_ledger_line_is_ignored(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    with open(sweep / "simulators" / "files.jsonl", "a") as fh:
        fh.write('{"file": "chunk-x.parquet", "sha')
    _exactly_once(sweep)
    assert _rerun(out).run_tasks == 0
    _handled("files.jsonl with a torn last line")


def test_a_deleted_chunk_is_run_again(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    _chunks(sweep)[4].unlink()
    assert _rerun(out).run_tasks == 2
    _exactly_once(sweep)
    _handled("chunk file deleted")


def test_another_workloads_rows_under_a_qray_name(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    foreign = pa.table({"task_id": ["x"], "status": ["ok"]}).replace_schema_metadata(
        {"qray.workload": "netsim"})
    pq.write_table(foreign, sweep / "simulators" / "0123456789abcdef01234567.parquet")
    _exactly_once(sweep)
    assert _rerun(out).run_tasks == 0
    _handled("another workload's rows under a point-file name")


# --- sweep.json --------------------------------------------------------------------------


def _manifest_refused(out: Path, sweep: Path, case: str, fragment: str) -> None:
    summary = (sweep / "summary.md").read_bytes() if (sweep / "summary.md").exists() else None
    tree = sorted(str(p) for p in sweep.rglob("*"))
    for attempt in (lambda: summarize_sweep(sweep), lambda: _rerun(out), lambda: load(sweep)):
        with pytest.raises(QrayError) as err:
            attempt()
        assert fragment in str(err.value), str(err.value)
    assert sorted(str(p) for p in sweep.rglob("*")) == tree  # nothing written or moved
    if summary is not None:
        assert (sweep / "summary.md").read_bytes() == summary
    _refused(case, str(err.value))


@pytest.mark.parametrize(("case", "edit", "fragment"), [
    ("sweep.json edited to another workload",
     lambda m: {**m, "workload": "netsim"}, "names workload 'netsim', but"),
    ("sweep.json edited to a future format", lambda m: {**m, "format": 99},
     "format 99 is not one this qray reads"),
    ("sweep.json with a format that is text", lambda m: {**m, "format": "2"},
     "format '2' is not one this qray reads"),
    ("sweep.json emptied", None, "not a readable sweep manifest"),
    ("sweep.json a JSON list", lambda m: [m], "not a sweep manifest"),
])
def test_an_edited_sweep_json_is_refused(finished: Path, tmp_path: Path, case: str,
                                         edit: Callable | None, fragment: str) -> None:
    out, sweep = _copy(finished, tmp_path)
    summarize_sweep(sweep)
    path = sweep / "sweep.json"
    path.write_text("" if edit is None else json.dumps(edit(json.loads(path.read_text()))))
    _manifest_refused(out, sweep, case, fragment)


# --- latest ------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "target", "fragment"), [
    ("latest pointing outside output_dir", "OUTSIDE", "outside"),
    ("latest pointing at itself (a loop)", "latest", "resolves to nothing"),
    ("latest pointing at a removed sweep", "gone", "resolves to nothing"),
])
def test_a_broken_latest_link_is_refused_then_repaired(finished: Path, tmp_path: Path,
                                                       case: str, target: str,
                                                       fragment: str) -> None:
    out, sweep = _copy(finished, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(sweep, elsewhere)
    (out / "latest").unlink()
    os.symlink(str(elsewhere) if target == "OUTSIDE" else target, out / "latest")
    with pytest.raises(NoDatasetError) as err:
        load(out)
    assert fragment in str(err.value), str(err.value)
    _refused(case, str(err.value))
    assert _rerun(out).run_tasks == 0  # a run points the link at its sweep again
    assert os.readlink(out / "latest") == "edited" and len(load(out)) == N_TASKS


# --- the folder itself -------------------------------------------------------------------


def test_a_workload_folder_replaced_by_a_file_is_refused(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    shutil.move(sweep / "simulators", tmp_path / "moved")
    (sweep / "simulators").write_text("not a folder")
    with pytest.raises(QrayError) as err:
        _rerun(out, "shots=30")
    assert "'output_dir'" in str(err.value) and "is a file, not the sweep's folder" in str(err.value)
    assert (sweep / "simulators").read_text() == "not a folder"
    _refused("workload folder replaced by a file", str(err.value))


def test_a_read_only_workload_folder_is_refused(finished: Path, tmp_path: Path) -> None:
    out, sweep = _copy(finished, tmp_path)
    folder = sweep / "simulators"
    mounted = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode:
        pytest.skip(f"cannot bind-mount read-only here: {mounted.stderr.strip()}")
    try:
        with pytest.raises(QrayError) as err:
            _rerun(out, "shots=30")
        assert "is read-only; cannot write its rows" in str(err.value)
        _refused("workload folder read-only", str(err.value))
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize("name", ["summary.md", ".lock"])
def test_a_file_of_qrays_replaced_by_a_folder_is_refused(finished: Path, tmp_path: Path,
                                                         name: str) -> None:
    out, sweep = _copy(finished, tmp_path)
    (sweep / name).unlink(missing_ok=True)
    (sweep / name).mkdir()
    with pytest.raises(QrayError) as err:
        _rerun(out)
    assert f"{sweep / name} is a folder where qray writes a file" in str(err.value)
    if name == "summary.md":
        with pytest.raises(QrayError, match="summary.md is a folder"):
            summarize_sweep(sweep)
    _refused(f"{name} replaced by a folder", str(err.value))


MOVE_AWAY = """
import os, time
from pathlib import Path

FOLDER = Path({folder!r})
ONCE = FOLDER.parent / "moved-once"


def task(x):
    if x == 9 and not ONCE.exists():  # the workload folder is replaced by a file mid-sweep
        ONCE.touch()
        os.rename(FOLDER, str(FOLDER) + ".moved")
        FOLDER.write_text("in the way")
    time.sleep(0.05)
    return {{"y": x}}
"""


def test_a_workload_folder_replaced_mid_sweep_stops_the_sweep_once(
        ray_session, tmp_path: Path) -> None:
    folder = tmp_path / "mid" / "experiment"
    (tmp_path / "mid_task.py").write_text(MOVE_AWAY.format(folder=str(folder)))
    conf = tmp_path / "mid.yaml"
    conf.write_text("experiment: mid_task.py:task\ngrid: {x: {start: 1, stop: 24}}\n"
                    "execution: {chunk_tasks: 4, runner: driver}\nsweep_id: mid\n"
                    "summarize: false\nray: {include_dashboard: false}\n")
    with pytest.raises(QrayError) as err:
        actors.sweep(conf, [f"output_dir={tmp_path}", "max_parallel=1"])
    message = str(err.value)
    assert f"cannot write rows to {folder}" in message and "rerun the same command" in message
    assert "every retry would fail the same way" in message  # stopped, not retried 3 times
    folder.unlink()
    os.rename(str(folder) + ".moved", folder)  # the user puts the folder back
    again = actors.sweep(conf, [f"output_dir={tmp_path}"])
    rows = read_dataset(folder)[0]
    assert again.complete and rows.num_rows == 24
    assert pc.count_distinct(rows.column("task_id")).as_py() == 24
    _refused("workload folder replaced by a file mid-sweep", message)
