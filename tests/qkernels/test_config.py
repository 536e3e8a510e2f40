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
    assert cfg.resources_for("torch-cuda-3").num_gpus == 0.25
