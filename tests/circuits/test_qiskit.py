"""The one IR -> Qiskit conversion; importing ``qray.circuits`` does not import Qiskit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qray.circuits import make_circuit, to_qiskit


def test_import_does_not_pull_in_qiskit() -> None:
    code = "import sys, qray.circuits; print('qiskit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("measure", [True, False])
def test_gates_in_order_and_measurements(measure: bool) -> None:
    pytest.importorskip("qiskit")
    circuit = make_circuit("qft", 3)
    qc = to_qiskit(circuit, measure=measure)
    names = [inst.operation.name for inst in qc.data]
    assert names[:len(circuit.gates)] == [g.name for g in circuit.gates]
    assert names[len(circuit.gates):] == (["measure"] * 3 if measure else [])
    assert (qc.num_qubits, qc.num_clbits) == (3, 3 if measure else 0)


def test_the_simulators_use_the_one_conversion() -> None:
    from qray.simulators.backends.aer_backend import to_qiskit as aer_to_qiskit

    assert aer_to_qiskit is to_qiskit
