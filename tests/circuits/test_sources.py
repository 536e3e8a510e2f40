"""Circuits from files and MQT Bench: parsed by Qiskit, transpiled to the IR, the same
distribution on every statevector backend as Qiskit's own ``Statevector``; what the IR
cannot express refused before any work, naming the file and the line or gate."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest

from qray.circuits import sources
from qray.errors import ConfigError
from qray.simulators.registry import BACKENDS, new_backend

DATA = Path(__file__).parent / "data"
GOOD = [DATA / "toffoli_u3.qasm", DATA / "crx_qasm3.qasm"]
STATEVECTOR = [n for n, b in BACKENDS.items() if not b.density_only and not b.clifford_only]
HAS_MQT = importlib.util.find_spec("mqt.bench") is not None


def qiskit_probabilities(qc) -> np.ndarray:  # noqa: ANN001
    """Qiskit's exact distribution, reindexed to the IR's order (qubit 0 most significant)."""
    from qiskit.quantum_info import Statevector

    probs = Statevector(qc.remove_final_measurements(inplace=False)).probabilities()
    n = qc.num_qubits
    ir_index = [int(format(i, f"0{n}b")[::-1], 2) for i in range(2**n)]
    out = np.empty_like(probs)
    out[ir_index] = probs
    return out


@pytest.mark.parametrize("backend", STATEVECTOR)
@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_qasm2_and_qasm3_files_match_statevector_on_every_backend(backend: str,
                                                                  path: Path) -> None:
    impl = new_backend(backend)
    if impl.unavailable_reason():
        pytest.skip(f"{backend}: {impl.unavailable_reason()}")
    impl.configure({"precision": "double"} if "precision" in impl.OPTIONS else None)
    name = f"qasm:{path}"
    loaded = sources.load(name, "circuits[0]")
    assert loaded.circuit.n_qubits == sources.load_qiskit(name, "k").num_qubits
    expected = qiskit_probabilities(sources.load_qiskit(name, "k"))
    tvd = 0.5 * np.abs(impl.probabilities(loaded.circuit) - expected).sum()
    assert tvd < 1e-6, (backend, path.name, tvd)


@pytest.mark.parametrize(("file", "named"), [
    ("mid_measure.qasm", "a measurement before the end of the circuit (measure on qubit(s) [0])"),
    ("opaque_gate.qasm", "gate 'magic' has no definition"),
    ("undefined_gate.qasm", "at line 5"),
    ("if_else.qasm", "control flow (if_else)"),
])
def test_unsupported_constructs_are_refused_naming_the_file_and_the_gate(file: str,
                                                                         named: str) -> None:
    with pytest.raises(ConfigError) as err:
        sources.load(f"qasm:{DATA / file}", "circuits[2]")
    text = str(err.value)
    assert err.value.key == "circuits[2]" and file in text and named in text, text
    assert "allowed:" in text


def test_a_sweep_refuses_a_bad_file_before_any_work(tmp_path: Path) -> None:
    from actors.runtime.binding import get_binding
    from qray.config import load_config

    conf = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "ci_small.yaml"
    cfg = load_config(conf, [f"output_dir={tmp_path}", "backends=[numpy]",
                             f"circuits=[ghz,'qasm:{DATA}/*.qasm']"])
    with pytest.raises(ConfigError) as err:
        get_binding(cfg.workload).plan(cfg)
    assert err.value.key == "circuits[1]" and ".qasm" in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_globs_expand_sorted_and_a_miss_is_an_error(tmp_path: Path) -> None:
    for p in GOOD:
        shutil.copy(p, tmp_path / p.name)
    names = sources.expand_source(f"qasm:{tmp_path}/*.qasm", "circuits[0]")
    assert names == [f"qasm:{tmp_path}/{p}" for p in sorted(x.name for x in GOOD)]
    with pytest.raises(ConfigError, match="no file matches"):
        sources.expand_source(f"qasm:{tmp_path}/*.qasm3", "circuits[0]")
    with pytest.raises(ConfigError, match="no such file"):
        sources.expand_source(f"qasm:{tmp_path}/missing.qasm", "circuits[0]")
    with pytest.raises(ConfigError, match="not a circuit source"):
        sources.expand_source("qasm:", "circuits[0]")


def test_the_content_hash_follows_the_circuit_not_the_text(tmp_path: Path) -> None:
    path = tmp_path / "c.qasm"
    text = GOOD[0].read_text()
    path.write_text(text)
    first = sources.load(f"qasm:{path}", "k")
    path.write_text("// a comment changes nothing\n" + text.replace(";\n", " ;\n"))
    assert sources.load(f"qasm:{path}", "k").sha == first.sha
    path.write_text(text.replace("rz(0.7)", "rz(0.7000001)"))
    assert sources.load(f"qasm:{path}", "k").sha != first.sha


def test_the_wire_form_round_trips_exactly() -> None:
    loaded = sources.load(f"qasm:{GOOD[0]}", "k")
    back = sources.from_wire(sources.to_wire(loaded.circuit))
    assert back == loaded.circuit and sources.circuit_sha(back) == loaded.sha


def test_the_file_hash_is_part_of_the_task_ids(tmp_path: Path) -> None:
    from actors.runtime.binding import get_binding
    from qray.config import load_config

    conf = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "ci_small.yaml"
    path = tmp_path / "c.qasm"
    path.write_text(GOOD[0].read_text())

    def ids() -> set[str]:
        cfg = load_config(conf, ["backends=[numpy]", f"circuits=['qasm:{path}']"])
        plan = get_binding(cfg.workload).plan(cfg)
        assert {p.params["n_qubits"] for p in plan.points} == {4}  # the file's width
        return {t.strong_id for p in plan.points for t in p.tasks}

    before = ids()
    path.write_text(GOOD[0].read_text().replace("rz(0.7)", "rz(0.8)"))
    assert ids().isdisjoint(before)


@pytest.mark.skipif(not HAS_MQT, reason="MQT Bench is not installed (pip install 'qray[mqt]')")
@pytest.mark.parametrize("entry", ["mqt:ghz@3", "mqt:qft@4", "mqt:wstate@3", "mqt:dj@4"])
def test_mqt_bench_circuits_match_statevector(entry: str) -> None:
    loaded = sources.load(entry, "circuits[0]")
    expected = qiskit_probabilities(sources.load_qiskit(entry, "k"))
    got = new_backend("numpy").probabilities(loaded.circuit)
    assert 0.5 * np.abs(got - expected).sum() < 1e-9


def test_bad_mqt_entries_name_what_is_allowed() -> None:
    with pytest.raises(ConfigError, match=r"mqt:<benchmark>@<n>"):
        sources.expand_source("mqt:ghz", "circuits[0]")
    if HAS_MQT:
        with pytest.raises(ConfigError, match="did you mean 'ghz'"):
            sources.expand_source("mqt:ghzz@3", "circuits[0]")
    else:
        with pytest.raises(ConfigError, match=r"pip install 'qray\[mqt\]'"):
            sources.expand_source("mqt:ghz@3", "circuits[0]")


def test_oversized_qasm_is_refused_before_it_is_built(tmp_path: Path) -> None:
    from qray.circuits.sources import MAX_QASM_BYTES, load

    huge = tmp_path / "huge.qasm"  # a register of ten million qubits in 40 bytes
    huge.write_text("OPENQASM 2.0;\nqreg q[10000000];\n")
    with pytest.raises(ConfigError, match=r"'circuits'.*10,000,000 qubits declared.*1024"):
        load(f"qasm:{huge}", "circuits")
    q3 = tmp_path / "huge3.qasm"
    q3.write_text("OPENQASM 3.0;\nqubit[5000] q;\n")
    with pytest.raises(ConfigError, match="5,000 qubits declared"):
        load(f"qasm:{q3}", "circuits")
    nested = tmp_path / "nested.qasm"  # 1.4 KB of definitions that inline to 2^40 gates
    nested.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n'
                      "gate g0 a,b { cx a,b; cx b,a; }\n"
                      + "".join(f"gate g{i} a,b {{ g{i - 1} a,b; g{i - 1} b,a; }}\n"
                                for i in range(1, 40)) + "g39 q[0],q[1];\n")
    with pytest.raises(ConfigError, match=r"about 1.1e\+12 gates in.*at most 1,000,000"):
        load(f"qasm:{nested}", "circuits")
    big = tmp_path / "big.qasm"
    with big.open("w") as f:
        f.write('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n')
        f.write("h q[0];\n" * (MAX_QASM_BYTES // 8 + 1))
    with pytest.raises(ConfigError, match=r"file too large \(4\.0 MiB\)"):
        load(f"qasm:{big}", "circuits")
