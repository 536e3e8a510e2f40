"""qkernels config and plan: every bad input is refused with its key before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from qray.config import load_config
from qray.errors import ConfigError
from qray.qkernels.workload import plan

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "qkernels.yaml"

BAD = [
    (["backends=[opencl]"], "backends[0]"),
    (["backends=[numpy,numpy]"], "backends"),
    (["backends=[]"], "backends"),
    (["precision=float16"], "precision"),
    (["n_qubits=[0]"], "n_qubits[0]"),
    (["n_qubits=[65]"], "n_qubits[0]"),
    (["layers=[0]"], "layers[0]"),
    (["tiles=[4]"], "tiles[0]"),
    (["tiles=[64,64]"], "tiles"),
    (["dataset=mnist"], "dataset"),
    (["n_samples=5"], "n_samples"),
    (["n_samples=5000"], "n_samples"),
    (["classes=[1,1]"], "classes"),
    (["classes=[3,12]"], "classes[1]"),
    (["scale=0"], "scale"),
    (["entangler=star"], "entangler"),
    (["workers=0"], "workers"),
    (["folds=1"], "folds"),
    (["svm_c=-1"], "svm_c"),
    (["qcnn.epochs=0"], "qcnn.epochs"),
    (["qcnn.lr=0"], "qcnn.lr"),
    (["qcnn.layers=2"], "qcnn.layers"),
    (["backends=[torch-cuda]", "resources.torch-cuda.num_gpus=0"], "resources.torch-cuda.num_gpus"),
    (["resources.numpy.num_gpus=0.5"], "resources.numpy.num_gpus"),
    (["resources.opencl.num_cpus=1"], "resources.opencl"),
    (["n_qubit=[4]"], "n_qubit"),
    (["n_classes=3"], "n_classes"),
    (["dataset=classification", "classes=[0,1]"], "classes"),
    (["dataset=classification", "n_classes=11"], "n_classes"),
    (["n_qubits=[20]", "actor.memory_budget_mb=1000"], "n_qubits[0]"),
    (["n_samples=30", "folds=2", "n_qubits=[16]"], "n_qubits[0]"),
    # numbers that overflow or never finish are bounded
    (["scale=1e308"], "scale"),
    (["svm_c=1e308"], "svm_c"),
    (["qcnn.epochs=1000000000"], "qcnn.epochs"),
    (["qcnn.batch_size=100000000000000000000"], "qcnn.batch_size"),
    (["qcnn.max_train=100000000"], "qcnn.max_train"),
    (["qcnn.lr=1e308"], "qcnn.lr"),
    (["dataset=classification", "n_samples=100000000000000000000"], "n_samples"),
    # a dataset too small for its folds and classes names n_samples
    (["dataset=classification", "n_classes=10", "n_samples=20"], "n_samples"),
    (["classes=[0,1,2]", "n_samples=20", "folds=10"], "n_samples"),
]


@pytest.mark.parametrize(("overrides", "key"), BAD, ids=[k for _, k in BAD])
def test_bad_input_names_the_key(overrides: list[str], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        plan(load_config(CONF, overrides))
    assert err.value.key == key, str(err.value)


def test_plan_checks_the_data_and_the_backends() -> None:
    # classes [0, 1] with 20 samples: about 10 per class, so 20 folds cannot be stratified
    with pytest.raises(ConfigError, match="folds"):
        plan(load_config(CONF, ["classes=[0,1]", "n_samples=20", "folds=15"]))
    # PCA to n_qubits features needs that many training samples in every fold
    with pytest.raises(ConfigError, match=r"'n_qubits\[0\]'.*at most 11"):
        plan(load_config(CONF, ["dataset=classification", "n_samples=22", "folds=2",
                                "n_qubits=[12]"]))


def test_too_few_samples_for_the_folds_and_classes_gives_the_minimum() -> None:
    # 20 samples over 10 classes cannot fill 5 stratified folds: 50 are needed
    with pytest.raises(ConfigError, match=r"'n_samples': too few samples for the folds and "
                       r"classes: 20; allowed: at least 50 samples for folds=5 and 10 classes"):
        load_config(CONF, ["dataset=classification", "n_classes=10", "n_samples=20"])
    # folds x classes samples can still leave a class short (make_classification flips a
    # few labels): the plan finds the fewest samples that fill every fold
    with pytest.raises(ConfigError, match=r"'n_samples': too few samples .*\(the rarest class "
                       r"has 8\): 90; allowed: at least 92 samples for folds=9 and 10 classes"):
        plan(load_config(CONF, ["dataset=classification", "n_classes=10", "n_samples=90",
                                "folds=9", "backends=[numpy]", "n_qubits=[2]"]))
    plan(load_config(CONF, ["dataset=classification", "n_classes=10", "n_samples=92",
                            "folds=9", "backends=[numpy]", "n_qubits=[2]"]))


def test_gram_matrices_must_fit_the_budget(monkeypatch) -> None:
    import qray.qkernels.workload as workload

    with pytest.raises(ConfigError, match=r"'n_samples': the fold's Gram matrices need about "
                       r"[\d,]+ MiB with 1797; allowed: about [\d,]+ samples or fewer, whose "
                       r"Gram matrices fit actor.memory_budget_mb=20"):
        plan(load_config(CONF, ["backends=[numpy]", "actor.memory_budget_mb=20"]))
    # a budget above the machine's memory is held to the machine's
    monkeypatch.setattr(workload, "machine_memory_mb", lambda: 20.0)
    with pytest.raises(ConfigError, match=r"'n_samples'.*this machine's memory \(20 MiB; "
                       r"actor.memory_budget_mb=1e\+06 is more than it has\)"):
        plan(load_config(CONF, ["backends=[numpy]", "actor.memory_budget_mb=1000000"]))


def test_plan_refuses_a_cpu_backend_that_cannot_run_here(monkeypatch) -> None:
    import qray.qkernels.workload as workload

    monkeypatch.setattr(workload, "unavailable_reason",
                        lambda name: "numba is not installed" if name == "numba" else None)
    with pytest.raises(ConfigError, match=r"'backends\[1\]'.*numba is not installed"):
        plan(load_config(CONF, ["backends=[numpy,numba]"]))


def test_plan_is_the_grid_and_ids_are_stable() -> None:
    cfg = load_config(CONF, ["layers=[1,2]", "tiles=[64,128]", "backends=[numpy,torch]"])
    p1, p2 = plan(cfg), plan(cfg)
    assert p1.n_tasks == 2 * 2 * 2
    assert [p.point_id for p in p1.points] == [p.point_id for p in p2.points]
    assert len({p.point_id for p in p1.points}) == 8
    from qray.workloads import get_spec

    entry = get_spec("qkernels").resources_entry("torch-cuda-3")  # worker 3's entry
    assert entry == "torch-cuda" and cfg.resources_for(entry).num_gpus == 0.25
