"""The k-fold quantum-kernel SVM in process (no Ray): accuracy, RBF reference, product
kernel flag, QCNN features, rows that fit the schema."""

from __future__ import annotations

from pathlib import Path

from qray.config import load_config
from qray.qkernels.pipeline import evaluate_point, feature_map, local_gram
from qray.qkernels.rows import SCHEMA
from qray.qkernels.workload import plan, task_specs
from qray.results import rows_to_table

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "qkernels.yaml"


def _rows(overrides: list[str]) -> list[dict]:
    cfg = load_config(CONF, overrides)
    rows = []
    for point in plan(cfg).points:
        spec = task_specs(point, cfg, "test")[0]
        p = spec["params"]
        rows.append(evaluate_point(spec, local_gram(p["backend"], p["precision"],
                                                    feature_map(p), p["tile"])))
    rows_to_table(rows, SCHEMA)  # every column in the schema, right types
    return rows


def test_digits_kernel_svm_and_product_kernel_flag() -> None:
    rows = _rows(["backends=[numpy,torch]", "layers=[1,2]", "n_samples=400",
                  "n_qubits=[6]", "tiles=[64]", "folds=3"])
    by = {(r["backend"], r["layers"]): r for r in rows}
    for r in rows:
        assert r["status"] == "ok"
        assert r["n_samples"] == 400 and r["n_classes"] == 10
        assert r["accuracy"] > 0.75, r["accuracy"]
        assert 0.5 < r["rbf_accuracy"] <= 1 and 0.5 < r["roc_auc"] <= 1
        assert len(r["fold_accuracy"]) == 3
        assert r["kernel_entries"] > 400 * 400 / 2 and r["entries_per_s"] > 0
    # one layer is the product-of-cos^2 kernel; two layers are not
    assert by[("numpy", 1)]["product_kernel"] and by[("torch", 1)]["product_kernel"]
    assert not by[("numpy", 2)]["product_kernel"]
    assert by[("numpy", 2)]["product_kernel_max_dev"] > 0.05
    # backends agree on the numbers (same folds, same features)
    assert abs(by[("numpy", 2)]["accuracy"] - by[("torch", 2)]["accuracy"]) < 0.01


def test_qcnn_features_feed_the_kernel() -> None:
    from qray.qkernels.qcnn import train_features

    cfg = load_config(CONF, ["backends=[numpy]", "layers=[2]", "n_qubits=[4]",
                             "classes=[0,1]", "n_samples=80", "folds=2",
                             "qcnn.enabled=true", "qcnn.epochs=2", "qcnn.max_train=40"])
    point = plan(cfg).points[0]
    spec = task_specs(point, cfg, "test")[0]
    p = spec["params"]
    row = evaluate_point(spec, local_gram("numpy", "float32", feature_map(p), 32),
                         qcnn=train_features)
    rows_to_table([row], SCHEMA)
    assert row["status"] == "ok" and row["features"] == "qcnn"
    assert row["qcnn_s"] > 0 and 0 <= row["qcnn_train_accuracy"] <= 1
    assert row["accuracy"] > 0.6  # 0 vs 1 is easy even after a short training
