"""The plain worker: rows, guards, timeouts, readout, recycling decisions."""

from __future__ import annotations

import time

import numpy as np
import pytest

from qray import lifecycle
from qray.simulators.worker import SimulatorWorker, apply_readout


def _spec(**params) -> dict:
    base = {"backend": "numpy", "circuit": "ghz", "n_qubits": 3, "depth": 0, "noise": 0.0,
            "noise_2q": None, "readout_error": 0.0, "shots": 200, "circuit_seed": 1,
            "repetition": 0}
    base.update(params)
    return {"task_id": "t1", "point_id": "p1", "sweep_id": "s", "seed": 5, "timeout_s": 30,
            "params": base}


def test_ok_row_has_timings_quality_and_probs() -> None:
    w = SimulatorWorker("numpy")
    row = w.run_task(_spec())
    assert row["status"] == "ok", row["error"]
    assert row["run_s"] >= 0 and row["build_s"] >= 0
    assert row["ghz_population"] == 1.0
    assert sum(row["counts"]) == 200 and set(row["outcomes"]) <= {0, 7}
    assert len(row["probs"]) == 8 and row["tvd_ideal"] < 0.15


def test_refused_and_unsupported_rows() -> None:
    w = SimulatorWorker("numpy", memory_budget_mb=1)
    row = w.run_task(_spec(n_qubits=20))
    assert row["status"] == "refused" and "needs 16.0 MiB" in row["error"]
    row = SimulatorWorker("stim").run_task(_spec(backend="stim", circuit="qft"))
    assert row["status"] == "unsupported" and "Clifford" in row["error"]


def test_refused_row_over_the_machines_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import qray.simulators.guards as guards

    monkeypatch.setattr(guards, "machine_memory_bytes", lambda: 2**20)
    row = SimulatorWorker("numpy", memory_budget_mb=1e6).run_task(_spec(n_qubits=20))
    assert row["status"] == "refused" and "this machine's memory 1.0 MiB" in row["error"]


def test_timeout_row_and_recycle(monkeypatch: pytest.MonkeyPatch) -> None:
    w = SimulatorWorker("numpy")
    real = w._timed_run

    def slow(*args, **kwargs):
        time.sleep(2)
        return real(*args, **kwargs)

    monkeypatch.setattr(w, "_timed_run", slow)
    spec = _spec()
    spec["timeout_s"] = 0.2
    row = w.run_task(spec)
    assert row["status"] == "timeout" and "timeout_s=0.2" in row["error"]
    assert "timed-out" in w.should_recycle()


def test_recycle_after_max_tasks_and_rss(monkeypatch: pytest.MonkeyPatch) -> None:
    w = SimulatorWorker("numpy", max_tasks=2)
    w.run_batch([_spec(), _spec()], warmup=3)  # warmup runs are not counted
    assert w.tasks_done == 2
    assert "max_tasks=2" in w.should_recycle()
    w2 = SimulatorWorker("numpy", max_rss_mb=1)
    assert "max_rss_mb=1" in w2.should_recycle()
    monkeypatch.setattr(lifecycle, "rss_mb", lambda: 0.5)
    assert w2.should_recycle() is None


def test_readout_flips_bits_at_the_given_rate() -> None:
    out = apply_readout(np.zeros(20000, dtype=np.int64), 4, 0.1, seed=3)
    flipped = np.unpackbits(out.astype(np.uint8)[:, None], axis=1)[:, 4:]
    assert flipped.mean() == pytest.approx(0.1, abs=0.01)


def test_threads_are_passed_to_the_library() -> None:
    assert SimulatorWorker("qiskit-aer", threads=2).thread_settings == {"max_parallel_threads": 2}
    assert SimulatorWorker("qsim", threads=3).thread_settings == {"cpu_threads": 3}


def test_run_memory_covers_the_statevector() -> None:
    # 22 qubits: a 2**22 x 16-byte statevector is 64 MiB
    row = SimulatorWorker("numpy").run_task(_spec(n_qubits=22, shots=10))
    assert row["status"] == "ok", row["error"]
    assert 64 <= row["run_memory_mb"] < row["peak_rss_mb"]
