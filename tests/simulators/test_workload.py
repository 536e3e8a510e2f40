"""Grid expansion and the guards that refuse impossible sweeps before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from qray.config import load_config
from qray.errors import ConfigError
from qray.simulators.workload import plan

DEFAULT = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "simulators.yaml"


def _plan(*overrides: str):
    return plan(load_config(DEFAULT, list(overrides)))


def test_grid_size_and_repetitions() -> None:
    p = _plan("backends=[numpy,cirq]", "circuits=[ghz,random]", "n_qubits=[3,4]",
              "depth=[2,5]", "noise=[0.0,0.01]", "repetitions=3")
    # ghz ignores depth: (1 + 2 depths) x 2 n x 2 noise x 2 backends points
    assert len(p.points) == 3 * 2 * 2 * 2
    assert p.n_tasks == 3 * len(p.points)
    ids = [t.strong_id for pt in p.points for t in pt.tasks]
    assert len(set(ids)) == len(ids)


def test_same_circuit_on_every_backend() -> None:
    p = _plan("backends=[numpy,cirq]", "circuits=[random]", "n_qubits=[4]")
    seeds = {pt.params["backend"]: pt.params["circuit_seed"] for pt in p.points}
    assert seeds["numpy"] == seeds["cirq"]


def test_n_too_large_for_memory_gives_the_estimate() -> None:
    with pytest.raises(ConfigError, match=r"nothing runnable \(n_qubits=40 on backend 'qiskit-aer' needs 16.0 TiB \(statevector 2\^40 x 16 B\) > memory budget 4.0 GiB \(actor.memory_budget_mb=4096\)"):
        _plan("backends=[qiskit-aer]", "n_qubits=[40]")


def test_a_budget_above_the_machine_is_held_to_the_machine(monkeypatch) -> None:
    import qray.simulators.guards as guards

    monkeypatch.setattr(guards, "machine_memory_bytes", lambda: 4 * 2**30)
    with pytest.raises(ConfigError, match=r"nothing runnable \(n_qubits=30 on backend 'numpy' "
                       r"needs 16.0 GiB \(statevector 2\^30 x 16 B\) > this machine's memory "
                       r"4.0 GiB \(actor.memory_budget_mb=1e\+06 is more than the machine has\)"):
        _plan("backends=[numpy]", "circuits=[ghz]", "n_qubits=[30]",
              "actor.memory_budget_mb=1000000")
    # in a mixed grid the point is refused and the rest runs
    p = _plan("backends=[numpy]", "circuits=[ghz]", "n_qubits=[4,30]",
              "actor.memory_budget_mb=1000000")
    assert [s for s, _ in p.problems.values()] == ["refused"]


@pytest.mark.parametrize(("override", "message"), [
    ("timeout_s=1e308", r"'timeout_s': timeout too long: 1e\+308; allowed: a number of "
                        r"seconds in \(0, 604800\]"),
    ("shots=100000000000000000000", r"'shots': too many shots.*1\.\.1,000,000"),
    ("depth=[1001]", r"'depth\[0\]'.*1\.\.1000"),
    ("repetitions=100001", r"'repetitions'.*1\.\.100,000"),
    ("warmup=101", r"'warmup'.*0\.\.100"),
    ("n_qubits=[64]", r"'n_qubits\[0\]'.*1\.\.63"),
])
def test_absurd_numbers_are_refused(override: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _plan(override)


def test_grid_size_is_bounded() -> None:
    with pytest.raises(ConfigError, match=r"'depth': too large a grid \(2,000,000 tasks\)"):
        _plan("backends=[numpy]", "circuits=[random]", "n_qubits=[2,3,4,5]",
              "depth={start: 1, stop: 1000}", "repetitions=500")


def test_stim_on_non_clifford_only() -> None:
    with pytest.raises(ConfigError, match=r"config key 'backends': nothing runnable \(backend 'stim' runs Clifford circuits only .* circuit 'qft' uses non-Clifford gates \['cp', 'ry'\]\) for backend 'stim'"):
        _plan("backends=[stim]", "circuits=[qft]")


def test_mixed_grid_marks_unsupported_points() -> None:
    p = _plan("backends=[stim,numpy]", "circuits=[ghz,qft]", "n_qubits=[3]")
    statuses = sorted(s for s, _ in p.problems.values())
    assert statuses == ["unsupported"]
    with pytest.raises(ConfigError, match=r"config key 'strict': 1 grid point\(s\) would be unsupported"):
        _plan("backends=[stim,numpy]", "circuits=[ghz,qft]", "n_qubits=[3]", "strict=true")


def test_installed_expands_to_cpu_backends() -> None:
    p = _plan("n_qubits=[3]", "circuits=[ghz]")
    backends = {pt.params["backend"] for pt in p.points}
    assert {"numpy", "stim"} <= backends
    assert not any(b.endswith("-gpu") for b in backends)
    # density-matrix-only backends join only when the grid is noisy
    assert "pennylane-default-mixed" not in backends and "qiskit-aer-density" not in backends
    noisy = {pt.params["backend"] for pt in _plan("n_qubits=[3]", "noise=[0.0,0.01]").points}
    assert {"pennylane-default-mixed", "qiskit-aer-density"} <= noisy
