"""Hostile inputs beside the config matrix: QASM files built to hang or exhaust the
planner, a YAML alias bomb, damaged training records, a deploy target that is a file and
a foreign Parquet file with integer task ids. Each is refused before any work (before Ray
starts), with a message naming the key or file; nothing is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import actors
from qray.errors import QrayError
from qray.results import load
from qray.results.load import NoDatasetError
from tests.reliability.helpers import refused

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "jobs" / "conf" / "simulators.yaml"
QUIET = ["ray.include_dashboard=false", "summarize=false", "backends=[numpy]", "depth=[2]",
         "repetitions=1", "warmup=0"]


def _write_qasm(tmp_path: Path, case: str) -> Path:
    path = tmp_path / f"{case}.qasm"
    if case == "include_loop":
        path.write_text(f'OPENQASM 2.0;\ninclude "{path.name}";\nqreg q[2];\nh q[0];\n')
    elif case == "50mb":
        with path.open("wb") as fh:  # 50 MB (sparse): refused by its size, never read
            fh.write(b'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n')
            fh.truncate(50 * 2**20)
    elif case == "10000_qubits":
        path.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[10000];\nh q[0];\n')
    elif case == "qasm3_for_loop":
        path.write_text('OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[3] q;\n'
                        "for int i in [0:1] { h q[i]; }\n")
    return path


@pytest.mark.parametrize(("case", "fragment"), [
    ("include_loop", "unable to find 'include_loop.qasm' in the include search path"),
    ("50mb", "file too large (50.0 MiB)"),
    ("10000_qubits", "10,000 qubits declared"),
    ("qasm3_for_loop", "a QASM `for` statement Qiskit cannot import"),
])
def test_hostile_qasm_is_refused_before_any_work(tmp_path: Path, case: str,
                                                 fragment: str) -> None:
    path = _write_qasm(tmp_path, case)
    out = tmp_path / "out"
    with pytest.raises(QrayError) as err:
        actors.sweep(SIM, [*QUIET, f"output_dir={out}", f"circuits=[qasm:{path}]",
                           "n_qubits=[2]"])
    assert "'circuits[0]'" in str(err.value) and fragment in str(err.value), str(err.value)
    assert not out.exists()
    refused(str(err.value))


def test_a_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["workload: simulators", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    bomb = tmp_path / "bomb.yaml"  # 9^9 (387 million) values from 1 KB
    bomb.write_text("\n".join(lines) + "\n")
    with pytest.raises(QrayError) as err:
        actors.sweep(bomb, [f"output_dir={tmp_path / 'out'}"])
    assert "'--config'" in str(err.value) and "expansion exceeds" in str(err.value)
    assert not (tmp_path / "out").exists()
    refused(str(err.value))


def _train(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("RAY_ADDRESS", None)
    cli = "import sys; from actors.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", cli, *args], capture_output=True,
                          text=True, timeout=180, env=env, cwd=ROOT)


@pytest.mark.parametrize(("record", "text"), [
    ("tune/PPO/fit.json", "{not json"),
    ("tune/PPO/fit.json", '{"config_digest": "x", "trials": [{"checkpoint": 5}]}'),
    ("policies/grid-5x5/trained.json", "[1, 2]"),
])
def test_a_damaged_training_record_is_refused_before_ray_starts(tmp_path: Path, record: str,
                                                                text: str) -> None:
    path = tmp_path / "router" / record
    path.parent.mkdir(parents=True)
    path.write_text(text)
    done = _train(tmp_path, "train", "--config", "routing", f"output_dir={tmp_path}",
                  "sweep_id=router", "maps=[grid-5x5]")
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"{path}: not a training record qray wrote" in done.stderr
    assert "Started a local Ray" not in done.stderr  # refused before Ray starts
    assert path.read_text() == text
    refused(done.stderr.strip().splitlines()[-1])


def test_a_deploy_target_that_is_a_file_is_refused_before_the_episode(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("mine")
    done = _train(tmp_path, "deploy", f"output_dir={target}", "scheduler=FeasibleGreedy")
    assert done.returncode == 2, done.stderr[-2000:]
    assert "'output_dir'" in done.stderr and "is a file, not a folder" in done.stderr
    assert target.read_text() == "mine"
    refused(done.stderr.strip().splitlines()[-1])


def test_a_foreign_parquet_with_integer_task_ids_and_no_sweep_json(tmp_path: Path) -> None:
    pq.write_table(pa.table({"task_id": [1, 2], "status": ["ok", "ok"]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"task_id": ["a"], "status": ["ok"]}), tmp_path / "b.parquet")
    df = load(tmp_path)  # the file with text ids is read; the other is named and skipped
    assert list(df["task_id"]) == ["a"]
    (tmp_path / "b.parquet").unlink()
    with pytest.raises(NoDatasetError) as err:
        load(tmp_path)
    assert "a.parquet: not a qray result file (its 'task_id' column is int64" in str(err.value)
    refused(str(err.value))


@pytest.mark.parametrize(("config", "override"), [
    ("routing", "seed=-5"), ("routing", "seed=4294967296"), ("cloud", "seed=-5")])
def test_a_training_seed_out_of_range_is_refused_before_ray_starts(config: str,
                                                                  override: str) -> None:
    from qray import presets
    from qray.config import load_config
    from qray.errors import ConfigError

    with pytest.raises(ConfigError) as err:  # what `qray train` loads before Ray starts
        load_config(presets.resolve(config), [override])
    assert "'seed'" in str(err.value) and "0..4294967295" in str(err.value)
    refused(str(err.value))
