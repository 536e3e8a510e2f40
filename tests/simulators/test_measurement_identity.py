"""What a timing is measured under is part of the task id: the actor's CPUs and GPU share,
backend options, warmup and the backend library's version; keys that change neither
results nor times are not."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import actors
from actors.runtime.binding import get_binding
from qray.config import load_config
from qray.errors import ConfigError
from qray.results import read_dataset
from qray.simulators.registry import BACKENDS

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "ci_small.yaml"
BASE = ["backends=[numpy,qsim,qiskit-aer]", "circuits=[ghz]", "n_qubits=[3]", "repetitions=2"]


def _ids(overrides: list[str]) -> set[str]:
    cfg = load_config(CONF, [*BASE, *overrides])
    return {t.strong_id for p in get_binding(cfg.workload).plan(cfg).points for t in p.tasks}


def _ids_of(overrides: list[str], backend: str) -> set[str]:
    cfg = load_config(CONF, [*BASE, *overrides])
    return {t.strong_id for p in get_binding(cfg.workload).plan(cfg).points for t in p.tasks
            if p.params["backend"] == backend}


@pytest.mark.parametrize("override", [
    "resources.default.num_cpus=2", "warmup=5", "backend_options.qsim.max_fused_gate_size=4",
    "backend_options.qiskit-aer.precision=single",
    "backend_options.qiskit-aer.method=matrix_product_state",
])
def test_what_changes_a_timing_changes_the_task_ids(override: str) -> None:
    assert _ids([]).isdisjoint(_ids([override])) or "backend_options" in override
    if "backend_options" in override:  # only that backend's tasks change
        backend = override.split(".")[1]
        assert _ids_of([], backend).isdisjoint(_ids_of([override], backend))
        assert _ids_of([], "numpy") == _ids_of([override], "numpy")


@pytest.mark.parametrize("override", [
    "output_dir=/tmp/elsewhere", "max_parallel=1", "timeout_s=17", "actor.batch_size=1",
    "exact_max_qubits=0", "name=renamed",
])
def test_keys_that_change_neither_results_nor_times_keep_the_ids(override: str) -> None:
    assert _ids([]) == _ids([override])


def test_the_backend_library_version_is_part_of_the_id(monkeypatch) -> None:
    before = _ids_of([], "qsim")
    monkeypatch.setattr(type(BACKENDS["qsim"]), "version", lambda self: "99.0")
    assert before.isdisjoint(_ids_of([], "qsim"))
    assert _ids_of([], "numpy") == _ids_of([], "numpy")


@pytest.mark.parametrize(("override", "key", "allowed"), [
    ("backend_options.qsim.fused=4", "backend_options.qsim.fused", "max_fused_gate_size"),
    ("backend_options.qsim.max_fused_gate_size=9", "backend_options.qsim.max_fused_gate_size",
     "1..6"),
    ("backend_options.qiskit-aer.method=tensor", "backend_options.qiskit-aer.method",
     "matrix_product_state"),
    ("backend_options.qiskit-aer.precision=half", "backend_options.qiskit-aer.precision",
     "single"),
    ("backend_options.numpy.precision=single", "backend_options.numpy.precision",
     "takes none"),
    ("backend_options.qsimm.max_fused_gate_size=2", "backend_options.qsimm", "qsim"),
    ("reference_backend=cirq", "reference_backend", "numpy"),
])
def test_bad_backend_options_are_refused_naming_the_key(override: str, key: str,
                                                        allowed: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(CONF, [*BASE, override])
    assert err.value.key == key and allowed in str(err.value)


def test_options_reach_the_backend_and_the_rows() -> None:
    from qray.simulators.spec import worker_kwargs
    from qray.simulators.worker import SimulatorWorker

    cfg = load_config(CONF, [*BASE, "backend_options.qiskit-aer.method=matrix_product_state",
                             "backend_options.qiskit-aer.precision=single"])
    plan = get_binding(cfg.workload).plan(cfg)
    point = next(p for p in plan.points if p.params["backend"] == "qiskit-aer")
    spec = get_binding(cfg.workload).task_specs(point, cfg, "s")[0]
    worker = SimulatorWorker(**worker_kwargs(cfg, "qiskit-aer"))
    row = worker.run_task(spec)
    assert row["status"] == "ok", row["error"]
    assert row["method"] == "matrix_product_state"
    assert row["settings"] == "threads=1 warmup=0 method=matrix_product_state precision=single"
    assert row["ghz_population"] == 1.0


def test_one_then_two_cpus_are_two_sets_of_rows(ray_session, tmp_path: Path,
                                                quiet_cfg) -> None:
    """Timing-affecting keys are in the task ids: two CPUs run new tasks in the same
    sweep, and the sweep shows the plan it was last run with (both sets stay on disk)."""
    over = [*quiet_cfg, f"output_dir={tmp_path}", "backends=[numpy]", "circuits=[ghz]",
            "n_qubits=[3]", "repetitions=2"]
    first = actors.sweep(CONF, over, summarize=False)
    assert first.run_tasks == 2
    second = actors.sweep(CONF, [*over, "resources.default.num_cpus=2"], summarize=True)
    assert second.sweep_id == first.sweep_id and second.run_tasks == 2
    df = read_dataset(second.sweep_dir / "simulators")[0].to_pandas()
    assert sorted(df["settings"]) == ["threads=2 warmup=0"] * 2
    assert sorted(df["threads"]) == [2, 2]
    on_disk = sum(pq.ParquetFile(f).metadata.num_rows
                  for f in (second.sweep_dir / "simulators").glob("*.parquet"))
    assert on_disk == 4
    summary = (second.sweep_dir / "summary.md").read_text()
    assert "2 rows, 2 distinct tasks" in summary and "threads=1 warmup=0" not in summary
    # back to one CPU: its rows are still there; keys that change neither results nor
    # timings reuse every row
    again = actors.sweep(CONF, [*over, "max_parallel=1", "timeout_s=60"], summarize=False)
    assert again.run_tasks == 0 and again.skipped_tasks == 2
    df = read_dataset(again.sweep_dir / "simulators")[0].to_pandas()
    assert sorted(df["settings"]) == ["threads=1 warmup=0"] * 2


@pytest.mark.parametrize(("backend", "options"), [
    ("qiskit-aer", {"method": "matrix_product_state"}),
    ("qiskit-aer", {"method": "statevector", "precision": "single"}),
    ("qiskit-aer", {"method": "density_matrix"}),
    ("qsim", {"max_fused_gate_size": 1}),
    ("qsim", {"max_fused_gate_size": 5}),
    ("cirq", {"precision": "double"}),
    ("pennylane-lightning-qubit", {"precision": "single"}),
])
def test_every_option_gives_the_exact_distribution(backend: str, options: dict) -> None:
    import numpy as np

    from qray.circuits.families import make_circuit
    from qray.simulators.backends.numpy_backend import ideal_probabilities
    from qray.simulators.registry import new_backend

    impl = new_backend(backend)
    if impl.unavailable_reason():
        pytest.skip(impl.unavailable_reason())
    impl.configure(options)
    for circuit in (make_circuit("qft", 5), make_circuit("random", 5, depth=6, seed=3)):
        tvd = 0.5 * np.abs(impl.probabilities(circuit) - ideal_probabilities(circuit)).sum()
        assert tvd < 1e-5, (backend, options, circuit.family, tvd)
