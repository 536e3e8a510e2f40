"""Arrow schema of ``qkernels`` result rows: one row per grid point (a k-fold run)."""

from __future__ import annotations

import pyarrow as pa

from qray.results.schema import make_schema

WORKLOAD = "qkernels"

_METRIC_FIELDS = tuple(
    f
    for name in ("accuracy", "f1", "roc_auc", "balanced_accuracy")
    for f in (pa.field(name, pa.float64()), pa.field(f"{name}_std", pa.float64()),
              pa.field(f"rbf_{name}", pa.float64()))
)

FIELDS = (
    pa.field("dataset", pa.string()),
    pa.field("n_samples", pa.int64()),
    pa.field("n_classes", pa.int64()),
    pa.field("backend", pa.string()),
    pa.field("precision", pa.string()),
    pa.field("n_qubits", pa.int64()),
    pa.field("layers", pa.int64()),
    pa.field("tile", pa.int64()),
    pa.field("workers", pa.int64()),
    pa.field("scale", pa.float64()),
    pa.field("entangler", pa.string()),
    pa.field("features", pa.string()),  # pca or qcnn
    pa.field("folds", pa.int64()),
    pa.field("svm_c", pa.float64()),
    *_METRIC_FIELDS,
    pa.field("fold_accuracy", pa.list_(pa.float64())),
    pa.field("product_kernel", pa.bool_()),
    pa.field("product_kernel_max_dev", pa.float64()),
    pa.field("kernel_entries", pa.int64()),
    pa.field("embed_s", pa.float64()),
    pa.field("gram_s", pa.float64()),
    pa.field("kernel_s", pa.float64()),
    pa.field("entries_per_s", pa.float64()),
    pa.field("tiles_run", pa.int64()),
    pa.field("qcnn_s", pa.float64()),
    pa.field("qcnn_train_accuracy", pa.float64()),
    pa.field("svm_s", pa.float64()),
    pa.field("worker_pids", pa.list_(pa.int64())),
)

SCHEMA = make_schema(FIELDS, workload=WORKLOAD)
