"""Bad inputs of the science workloads that need a file or a machine's memory: paper7 edge
lists that are not text, have a short line, no edges or are too large, and grid points
whose memory estimate passes an absurd budget but not the machine. Each is refused by
``actors.sweep`` before any work (before Ray starts), with a message naming the key, the
file or value and what is allowed, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

import actors
from qray.errors import ConfigError
from tests.reliability.helpers import refused

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf"
SIM, QK = CONF / "simulators.yaml", CONF / "qkernels.yaml"
NET, NET7 = CONF / "netsim_default.yaml", CONF / "netsim_paper7.yaml"
KEY = "models.paper7.edge_list"


def _refuse(conf: Path, overrides: list[str], tmp_path: Path, *fragments: str) -> str:
    out = tmp_path / "out"
    with pytest.raises(ConfigError) as err:
        actors.sweep(conf, ["ray.include_dashboard=false", f"output_dir={out}", *overrides])
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, message
    assert "allowed" in message, message
    assert not out.exists(), "nothing may be written for a refused config"
    return refused(message)


def _edge_list(tmp_path: Path, data: bytes, name: str = "as.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_edge_list_that_is_not_utf8_names_the_file_and_line(tmp_path: Path) -> None:
    path = _edge_list(tmp_path, b"# FromNodeId\tToNodeId\n1\t2\n2\t3\xff\n3\t1\n")
    _refuse(NET7, [f"{KEY}={path}"], tmp_path, f"'{KEY}'", str(path), "line 3",
            "not UTF-8 text", "byte 0xff at column 4")


def test_edge_list_latin1_after_a_byte_order_mark(tmp_path: Path) -> None:
    path = _edge_list(tmp_path, b"\xef\xbb\xbf1 2\n2 3\nr\xe9seau 4\n")
    _refuse(NET7, [f"{KEY}={path}"], tmp_path, f"'{KEY}'", "line 3", "column 2")


def test_edge_list_with_a_short_line_names_the_line(tmp_path: Path) -> None:
    path = _edge_list(tmp_path, b"1 2\n2 3\n\n# a comment\n7\n3 4\n")
    _refuse(NET7, [f"{KEY}={path}"], tmp_path, f"'{KEY}'", str(path), "line 5",
            "has 1 field ('7')", "two node ids")


def test_edge_list_in_another_format_is_refused(tmp_path: Path) -> None:
    # CAIDA's as-rel format a|b|rel is not a whitespace-separated edge list
    path = _edge_list(tmp_path, b"# as-rel\n1|2|-1\n2|3|0\n")
    _refuse(NET7, [f"{KEY}={path}"], tmp_path, f"'{KEY}'", "line 2", "'1|2|-1'")


def test_edge_list_without_edges(tmp_path: Path) -> None:
    path = _edge_list(tmp_path, b"# only comments\n\n5 5\n")  # a self-loop is no edge
    _refuse(NET7, [f"{KEY}={path}"], tmp_path, f"'{KEY}'", "no edges in", str(path))


def test_edge_list_that_is_a_binary_file(tmp_path: Path) -> None:
    path = _edge_list(tmp_path, b"1 2\n\x00\x00\x00\x01\n")
    _refuse(NET7, [f"{KEY}={path}"], tmp_path, f"'{KEY}'", "line 2", "NUL byte")


def test_edge_list_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:  # a sparse file: the size is checked, nothing is read
        f.truncate(65 * 2**20)
    _refuse(NET7, [f"{KEY}={path}"], tmp_path, f"'{KEY}'", "too large (65.0 MiB)",
            "at most 64 MiB")


def test_edge_list_that_is_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "edges"
    folder.mkdir()
    _refuse(NET7, [f"{KEY}={folder}"], tmp_path, f"'{KEY}'", "not a file")


def test_simulator_point_over_the_machines_memory(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A budget larger than the machine does not let a run allocate past it: the point is
    refused with the machine's memory in the message (here, a machine of 8 GiB)."""
    import qray.simulators.guards as guards

    monkeypatch.setattr(guards, "machine_memory_bytes", lambda: 8 * 2**30)
    _refuse(SIM, ["backends=[numpy]", "circuits=[ghz]", "n_qubits=[31]",
                  "actor.memory_budget_mb=1000000"], tmp_path, "'backends'",
            "needs 32.0 GiB", "this machine's memory 8.0 GiB", "actor.memory_budget_mb=1e+06")


def test_qkernels_states_over_the_machines_memory(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import qray.qkernels.workload as workload

    monkeypatch.setattr(workload, "machine_memory_mb", lambda: 1024.0)
    _refuse(QK, ["backends=[numpy]", "n_qubits=[18]", "actor.memory_budget_mb=1000000"],
            tmp_path, "'n_qubits[0]'", "this machine's memory (1,024 MiB")


def test_netsim_learner_over_the_machines_memory(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import qray.netsim.workload as workload

    monkeypatch.setattr(workload, "machine_memory_mb", lambda: 16.0)
    _refuse(NET, ["learners=[GNeuralUCB]", "learner_params.GNeuralUCB.width=1024",
                  "actor.memory_budget_mb=1000000"], tmp_path,
            "'learner_params.GNeuralUCB.width'", "this machine's memory (16 MiB")
