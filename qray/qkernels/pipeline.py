"""One grid point's k-fold quantum-kernel SVM, independent of where the Gram matrices
are computed.

``evaluate_point`` receives ``gram(x, y) -> (K, stats)``: a local backend
(:func:`local_gram`) in process, or the KernelWorkers' tiled Gram under Ray
(``actors.qkernels.gram.TiledGram``). It prepares each fold's features (PCA, or the
trained QCNN's encoder), computes ``K(train, train)`` and ``K(test, train)``, fits the
SVM, scores it next to an RBF SVM on the same features, and checks on the first fold
whether the kernel is just the classical product of cos^2 kernel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import numpy as np

from kernels import FeatureMap, get_backend, product_kernel
from qray.lifecycle import peak_rss_mb
from qray.qkernels.data import encode_features, folds, load_dataset
from qray.qkernels.evaluate import METRICS, svm_precomputed, svm_rbf
from qray.qkernels.rows import WORKLOAD
from qray.results.schema import common_row
from qray.worker import crash_row as generic_crash_row

log = logging.getLogger(__name__)

#: a kernel this close (max abs difference) to prod cos^2 is that kernel (float32 noise
#: is ~1e-6; a genuine two-layer kernel differs by ~0.4)
PRODUCT_TOL = 1e-4

#: training samples the product-kernel check compares (it builds an m x m x d array)
PRODUCT_SAMPLES = 400

GramFn = Callable[[np.ndarray, "np.ndarray | None"], tuple[np.ndarray, dict[str, float]]]
QcnnFn = Callable[..., Any]


def feature_map(params: Mapping[str, Any]) -> FeatureMap:
    """The point's feature map (features are already scaled to [0, scale * pi])."""
    return FeatureMap(int(params["n_qubits"]), layers=int(params["layers"]),
                      entangler=params["entangler"], seed=int(params["base_seed"]))


def local_gram(backend: str, precision: str, fmap: FeatureMap, tile: int) -> GramFn:
    """A ``gram`` function on one in-process backend (each array is embedded once, like
    the distributed one; tiles counted the same way)."""
    be = get_backend(backend, precision)
    cache: dict[int, tuple[np.ndarray, Any]] = {}

    def states(x: np.ndarray) -> Any:
        if id(x) not in cache or cache[id(x)][0] is not x:
            if len(cache) >= 2:
                cache.pop(next(iter(cache)))
            cache[id(x)] = (x, be.embed(x, fmap))
        return cache[id(x)][1]

    def gram(x: np.ndarray, y: np.ndarray | None) -> tuple[np.ndarray, dict[str, float]]:
        t0 = time.perf_counter()
        a = states(x)
        b = None if y is None or y is x else states(y)
        be.synchronize()
        t1 = time.perf_counter()
        k = be.gram(a, b, tile=tile)
        t2 = time.perf_counter()
        rows, cols = -(-len(x) // tile), -(-len(x if b is None else y) // tile)
        n_tiles = rows * (rows + 1) // 2 if b is None else rows * cols
        return k, {"embed_s": t1 - t0, "gram_s": t2 - t1, "tiles": n_tiles}

    return gram


def base_row(spec: Mapping[str, Any], *, actor: str) -> dict[str, Any]:
    """The identifying columns of a point's row (status ``error`` until it runs)."""
    p = spec["params"]
    return {
        **common_row(spec, workload=WORKLOAD, actor=actor),
        "dataset": p["dataset"], "n_samples": p["n_samples"], "n_classes": p["n_classes"],
        "backend": p["backend"], "precision": p["precision"], "n_qubits": p["n_qubits"],
        "layers": p["layers"], "tile": p["tile"], "workers": p["workers"],
        "scale": p["scale"], "entangler": p["entangler"],
        "features": "qcnn" if p["qcnn"]["enabled"] else "pca",
        "folds": p["folds"], "svm_c": p["svm_c"],
    }


def crash_row(spec: Mapping[str, Any], message: str) -> dict[str, Any]:
    """An ``error`` row for a point whose workers died every time it ran."""
    row = base_row(spec, actor=f"qray/qkernels/{spec['params']['backend']}")
    return generic_crash_row(WORKLOAD, spec, message, **row)


def evaluate_point(spec: Mapping[str, Any], gram: GramFn, *, qcnn: QcnnFn | None = None,
                   actor: str = "") -> dict[str, Any]:
    """Run a point's k-fold evaluation; returns its row.

    ``qcnn(x_train, y_train, x_test, **kwargs)`` trains the feature extractor (required
    when the point enables it).
    """
    started = time.perf_counter()
    p = spec["params"]
    seed = int(spec["seed"])
    row = base_row(spec, actor=actor)
    x, y = load_dataset(p["dataset"], n_samples=p["n_samples"], n_classes=p["n_classes"],
                        classes=p["classes"], seed=seed)
    fmap = feature_map(p)
    per_fold: dict[str, list[float]] = {m: [] for m in METRICS}
    rbf: dict[str, list[float]] = {m: [] for m in METRICS}
    timing = {"embed_s": 0.0, "gram_s": 0.0, "tiles": 0, "qcnn_s": 0.0, "svm_s": 0.0}
    entries = 0
    qcnn_acc: list[float] = []
    product_dev = float("nan")
    for index, tr, te in folds(x, y, k=int(p["folds"]), seed=seed):
        if p["qcnn"]["enabled"]:
            if qcnn is None:
                raise ValueError("qcnn.enabled needs a QCNN trainer")
            q = p["qcnn"]
            res = qcnn(x[tr], y[tr], x[te], n_qubits=fmap.n_qubits, scale=float(p["scale"]),
                       epochs=q["epochs"], batch_size=q["batch_size"], lr=q["lr"],
                       max_train=q["max_train"], seed=seed + index)
            f_tr, f_te = res.train_features, res.test_features
            timing["qcnn_s"] += res.seconds
            qcnn_acc.append(res.train_accuracy)
        else:
            f_tr, f_te = encode_features(x[tr], x[te], fmap.n_qubits, float(p["scale"]), seed)
        k_tr, s1 = gram(f_tr, None)
        k_te, s2 = gram(f_te, f_tr)
        for s in (s1, s2):
            for key in ("embed_s", "gram_s", "tiles"):
                timing[key] += s[key]
        entries += k_tr.size + k_te.size
        if index == 0:  # on (up to) the first PRODUCT_SAMPLES training samples
            m = min(len(f_tr), PRODUCT_SAMPLES)
            product_dev = float(np.abs(k_tr[:m, :m] - product_kernel(fmap, f_tr[:m])).max())
        t0 = time.perf_counter()
        m = svm_precomputed(k_tr, y[tr], k_te, y[te], c=float(p["svm_c"]))
        r = svm_rbf(f_tr, y[tr], f_te, y[te], c=float(p["svm_c"]))
        timing["svm_s"] += time.perf_counter() - t0
        for name in METRICS:
            per_fold[name].append(m[name])
            rbf[name].append(r[name])
    kernel_s = timing["embed_s"] + timing["gram_s"]
    for name in METRICS:
        row[name] = float(np.mean(per_fold[name]))
        row[f"{name}_std"] = float(np.std(per_fold[name]))
        row[f"rbf_{name}"] = float(np.mean(rbf[name]))
    row.update(
        status="ok", n_samples=len(y), n_classes=len(np.unique(y)),
        fold_accuracy=per_fold["accuracy"],
        product_kernel=bool(product_dev < PRODUCT_TOL), product_kernel_max_dev=product_dev,
        kernel_entries=int(entries), embed_s=timing["embed_s"], gram_s=timing["gram_s"],
        kernel_s=kernel_s, entries_per_s=entries / kernel_s if kernel_s > 0 else None,
        tiles_run=int(timing["tiles"]), qcnn_s=timing["qcnn_s"] if qcnn_acc else None,
        qcnn_train_accuracy=float(np.mean(qcnn_acc)) if qcnn_acc else None,
        svm_s=timing["svm_s"],
    )
    if row["product_kernel"]:
        log.warning("point %s: the kernel equals the classical product-of-cos^2 kernel "
                    "(max deviation %.1e); use layers >= 2", spec.get("point_id"), product_dev)
    row["wall_s"] = time.perf_counter() - started
    row["peak_rss_mb"] = peak_rss_mb()
    row["created_at"] = datetime.now(UTC)
    return row
