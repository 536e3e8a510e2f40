"""The ``qkernels`` workload: grid expansion and pre-flight validation.

A grid point is (n_qubits, layers, backend, tile); its one task is the k-fold evaluation
of that point. The dataset is loaded here once so that a bad dataset setting fails before
Ray starts. CPU backends that cannot be imported on the driver are refused here; GPU
backends are checked against the cluster's GPUs when Ray is up.
"""

from __future__ import annotations

from typing import Any

from kernels.registry import GPU_BACKENDS, unavailable_reason
from qray.errors import ConfigError
from qray.lifecycle import machine_memory_mb
from qray.qkernels.config import QKernelsConfig, min_samples_text
from qray.qkernels.rows import WORKLOAD
from qray.tasks import Plan, Point, Task, wire_specs


def plan(cfg: QKernelsConfig) -> Plan:
    """Expand the config into points (checking the dataset and the CPU backends first)."""
    from qray.qkernels.data import load_dataset

    for i, name in enumerate(cfg.backends):
        reason = None if name in GPU_BACKENDS else unavailable_reason(name)
        if reason:
            raise ConfigError(f"backends[{i}]", name, "a backend that can run here",
                              problem=f"unavailable ({reason}):")
    x, y = load_dataset(cfg.dataset, n_samples=cfg.n_samples, n_classes=cfg.n_classes,
                        classes=cfg.classes, seed=cfg.seed)
    smallest = rarest_class(y)
    if smallest < cfg.folds:
        n_classes = len(set(y.tolist()))
        if cfg.n_samples is None:
            raise ConfigError("folds", cfg.folds, f"at most {smallest} (the rarest class's "
                              f"sample count with n_samples={cfg.n_samples})")
        need = samples_needed(cfg)
        raise ConfigError("n_samples", cfg.n_samples, min_samples_text(
            need, cfg.folds, n_classes), problem=f"too few samples for the folds and classes "
            f"(the rarest class has {smallest}):")
    smallest_train = len(y) - -(-len(y) // cfg.folds)  # the smallest training fold
    limit = min(x.shape[1], smallest_train)
    budget_mb, budget_text = memory_limit_mb(cfg)
    for i, q in enumerate(cfg.n_qubits):
        if q > limit:
            raise ConfigError(f"n_qubits[{i}]", q, f"at most {limit} (PCA to n_qubits "
                              f"features needs that many features ({x.shape[1]}) and "
                              f"training samples per fold ({smallest_train}))")
        need = state_memory_mb(len(y), q, cfg.precision)
        if need > budget_mb:
            raise ConfigError(f"n_qubits[{i}]", q, f"a register whose {len(y)} states fit "
                              f"{budget_text}",
                              problem=f"the states need about {need:,.0f} MiB:")
    need = gram_memory_mb(len(y), cfg.folds, cfg.precision)
    if need > budget_mb:
        most = len(y)
        while most > 20 and gram_memory_mb(most, cfg.folds, cfg.precision) > budget_mb:
            most = most * 9 // 10
        raise ConfigError("n_samples", len(y) if cfg.n_samples is None else cfg.n_samples,
                          f"about {most:,} samples or fewer, whose Gram matrices fit "
                          f"{budget_text}", problem=f"the fold's Gram matrices need about "
                          f"{need:,.0f} MiB with")
    points = []
    for n_qubits in cfg.n_qubits:
        for layers in cfg.layers:
            for backend in cfg.backends:
                for tile in cfg.tiles:
                    params = point_params(cfg, backend, n_qubits, layers, tile)
                    points.append(Point(WORKLOAD, params, (Task(WORKLOAD, params),)))
    return Plan(points, {})


def rarest_class(y: Any) -> int:
    """Samples of the rarest class of labels ``y``."""
    return int(min((y == c).sum() for c in set(y.tolist())))


def samples_needed(cfg: QKernelsConfig, tries: int = 200) -> int:
    """The fewest ``n_samples`` (from ``folds x classes`` up) whose dataset gives every class
    at least ``folds`` samples (``make_classification`` flips a few labels, and a digits
    subsample is stratified with rounding)."""
    from qray.qkernels.data import load_dataset

    start = max(cfg.folds * cfg.class_count, (cfg.n_samples or 0) + 1)
    for n in range(start, start + tries):
        _, y = load_dataset(cfg.dataset, n_samples=n, n_classes=cfg.n_classes,
                            classes=cfg.classes, seed=cfg.seed)
        if rarest_class(y) >= cfg.folds:
            return n
    return start + tries


def memory_limit_mb(cfg: QKernelsConfig) -> tuple[float, str]:
    """What a point may hold: the actor's memory budget, or this machine's memory when the
    budget is more than the machine has; and how to say which."""
    budget = cfg.actor.memory_budget_mb
    machine = machine_memory_mb()
    if budget <= machine:
        return budget, f"actor.memory_budget_mb={budget:g}"
    return machine, (f"this machine's memory ({machine:,.0f} MiB; "
                     f"actor.memory_budget_mb={budget:g} is more than it has)")


def gram_memory_mb(n_samples: int, folds: int, precision: str) -> float:
    """MiB of a fold's K(train, train) and K(test, train), as computed and as the float64
    copies the SVM fits on."""
    item = 4 if precision == "float32" else 8
    n_test = -(-n_samples // folds)
    n_train = n_samples - n_samples // folds
    return n_train * (n_train + n_test) * (item + 8) / 2**20


def state_memory_mb(n_samples: int, n_qubits: int, precision: str) -> float:
    """MiB of the statevectors of ``n_samples`` samples (they sit in the object store while
    a fold's Gram tiles are computed)."""
    item = 8 if precision == "float32" else 16
    return n_samples * (1 << n_qubits) * item / 2**20


def point_params(cfg: QKernelsConfig, backend: str, n_qubits: int, layers: int,
                 tile: int) -> dict[str, Any]:
    """Everything that determines a point's results and timings."""
    return {
        "dataset": cfg.dataset,
        "n_samples": cfg.n_samples,
        "n_classes": cfg.n_classes,
        "classes": cfg.classes,
        "backend": backend,
        "precision": cfg.precision,
        "n_qubits": n_qubits,
        "layers": layers,
        "tile": tile,
        "workers": cfg.workers,
        "scale": cfg.scale,
        "entangler": cfg.entangler,
        "folds": cfg.folds,
        "svm_c": cfg.svm_c,
        "qcnn": {
            "enabled": cfg.qcnn.enabled, "epochs": cfg.qcnn.epochs,
            "batch_size": cfg.qcnn.batch_size, "lr": cfg.qcnn.lr,
            "max_train": cfg.qcnn.max_train,
        },
        "base_seed": cfg.seed,
    }


def task_specs(point: Point, cfg: QKernelsConfig, sweep_id: str,
               only: set[str] | None = None) -> list[dict[str, Any]]:
    """The wire form of a point's task. Data split, PCA and QCNN depend on the seed, not
    on the backend or the tile: every backend of a sweep sees the same folds and
    features."""
    return wire_specs(point, sweep_id, only=only, seed=lambda t: cfg.seed)
