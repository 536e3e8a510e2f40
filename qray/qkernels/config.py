"""Config of the ``qkernels`` workload."""

from __future__ import annotations

from dataclasses import dataclass, field

from kernels.feature_map import ENTANGLERS
from kernels.registry import BACKENDS, GPU_BACKENDS
from qray.config import SweepConfig, as_list, int_range
from qray.errors import ConfigError, UnknownNameError

DATASETS = ("digits", "classification")
PRECISIONS = ("float32", "float64")
#: largest feature scale: features are angles in [0, scale * pi] (periodic beyond 2 pi)
MAX_SCALE = 100.0
#: largest SVM regularization C (libsvm converges ever more slowly as C grows)
MAX_SVM_C = 1e6
#: most samples (before the plan's memory estimate of the Gram matrices)
MAX_SAMPLES = 200_000
#: QCNN limits: (most, why)
QCNN_LIMITS = {
    "qcnn.epochs": (1000, "training epochs per fold"),
    "qcnn.batch_size": (65_536, "samples per minibatch"),
    "qcnn.max_train": (MAX_SAMPLES, "training samples per fold"),
}


def min_samples_text(need: int, folds: int, classes: int) -> str:
    """The ``allowed`` text of a dataset too small for its folds and classes."""
    return (f"at least {need:,} samples for folds={folds} and {classes} classes (stratified "
            "k-fold needs every class at least folds times, so that every test fold holds "
            "every class); raise n_samples or lower folds")


@dataclass(frozen=True)
class QcnnConfig:
    """The optional hybrid QCNN feature extractor (PennyLane + torch), trained briefly on
    each training fold; its learned encoder gives the features the kernel encodes.

    Attributes:
        enabled: use the QCNN's encoder instead of PCA features.
        epochs: training epochs per fold.
        batch_size: minibatch size.
        lr: Adam learning rate.
        max_train: at most this many training samples per fold (stratified subsample).
    """

    enabled: bool = False
    epochs: int = 3
    batch_size: int = 32
    lr: float = 0.01
    max_train: int = 600

    def __post_init__(self) -> None:
        for key, value, ok in (("qcnn.epochs", self.epochs, self.epochs >= 1),
                               ("qcnn.batch_size", self.batch_size, self.batch_size >= 1),
                               ("qcnn.max_train", self.max_train, self.max_train >= 10)):
            if not ok:
                raise ConfigError(key, value, "an integer >= 1" if key != "qcnn.max_train"
                                  else "an integer >= 10")
            most, why = QCNN_LIMITS[key]
            if value > most:
                low = 10 if key == "qcnn.max_train" else 1
                raise ConfigError(key, value, f"an integer in {low}..{most:,} ({why})",
                                  problem="too large:")
        if not self.lr > 0:
            raise ConfigError("qcnn.lr", self.lr, "a number > 0")
        if self.lr > 10:
            raise ConfigError("qcnn.lr", self.lr, "a number in (0, 10] (Adam learning rate)",
                              problem="too large:")


@dataclass(frozen=True)
class QKernelsConfig(SweepConfig):
    """Quantum-kernel SVMs: backend x tile x n_qubits x layers, each point a stratified
    k-fold evaluation whose Gram matrices are computed by ``workers`` KernelWorkers.

    Attributes:
        dataset: ``digits`` (bundled with scikit-learn) or ``classification``
            (``make_classification``).
        n_samples: samples used (a stratified subsample of digits; generated for
            ``classification``); null = all of digits.
        n_classes: classes of ``classification`` (default 2; digits: use ``classes``).
        classes: digits classes kept (null = all ten; ``classification`` only).
        backends: kernel backends (numpy, numba, torch, torch-cuda, cupy).
        precision: float32 or float64 states.
        n_qubits: qubits = PCA features per sample (a list is a grid axis).
        layers: encoding + entangling layers (1 gives the classical product kernel).
        tiles: Gram tile sizes (rows/columns per tile).
        scale: features are scaled to [0, scale * pi] before encoding.
        entangler: ``ring`` or ``line`` CNOTs.
        workers: KernelWorkers per backend that share each Gram matrix's tiles.
        folds: stratified folds (k-fold cross-validation).
        svm_c: SVM regularization C (the RBF reference row uses the same C).
        qcnn: the optional hybrid QCNN feature extractor.
    """

    workload: str = "qkernels"
    name: str = "qkernels"
    max_parallel: int = 1
    dataset: str = "digits"
    n_samples: int | None = None
    n_classes: int | None = None
    classes: list[int] | None = None
    backends: list[str] = field(default_factory=lambda: ["numpy", "numba", "torch"],
                                metadata={"normalize": as_list})
    precision: str = "float32"
    n_qubits: list[int] = field(default_factory=lambda: [8], metadata={"normalize": int_range})
    layers: list[int] = field(default_factory=lambda: [2], metadata={"normalize": int_range})
    tiles: list[int] = field(default_factory=lambda: [512], metadata={"normalize": int_range})
    scale: float = 1.0
    entangler: str = "ring"
    workers: int = 2
    folds: int = 5
    svm_c: float = 1.0
    qcnn: QcnnConfig = field(default_factory=QcnnConfig)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.dataset not in DATASETS:
            raise UnknownNameError("dataset", self.dataset, "dataset", DATASETS)
        if self.n_samples is not None and self.n_samples < 20:
            raise ConfigError("n_samples", self.n_samples, "an integer >= 20, or null for all")
        if self.dataset == "digits" and self.n_samples is not None and self.n_samples > 1797:
            raise ConfigError("n_samples", self.n_samples, "at most 1797 (digits has 1797)")
        if self.n_samples is not None and self.n_samples > MAX_SAMPLES:
            raise ConfigError("n_samples", self.n_samples, f"at most {MAX_SAMPLES:,} (the k-fold "
                              "SVM holds K(train, train) in memory)")
        if self.n_classes is not None:
            if self.dataset != "classification":
                raise ConfigError("n_classes", self.n_classes, "null for digits (choose "
                                  "digits with 'classes: [0, 1, ...]')",
                                  problem="only used by dataset=classification:")
            if not 2 <= self.n_classes <= 10:
                raise ConfigError("n_classes", self.n_classes, "an integer in 2..10")
        if self.classes is not None:
            if self.dataset != "digits":
                raise ConfigError("classes", self.classes, "null for classification (use "
                                  "n_classes)", problem="only used by dataset=digits:")
            if len(self.classes) < 2 or len(set(self.classes)) != len(self.classes):
                raise ConfigError("classes", self.classes, "at least two distinct digits")
            for i, c in enumerate(self.classes):
                if not 0 <= c <= 9:
                    raise ConfigError(f"classes[{i}]", c, "a digit 0..9")
        self._check_names("backends", self.backends, BACKENDS, "kernel backend")
        if self.precision not in PRECISIONS:
            raise UnknownNameError("precision", self.precision, "precision", PRECISIONS)
        for key, values, lo, hi in (("n_qubits", self.n_qubits, 1, 20),
                                    ("layers", self.layers, 1, 50),
                                    ("tiles", self.tiles, 8, 1 << 20)):
            if not values:
                raise ConfigError(key, values, f"a non-empty list of integers in {lo}..{hi}")
            for i, v in enumerate(values):
                if not isinstance(v, int) or not lo <= v <= hi:
                    raise ConfigError(f"{key}[{i}]", v, f"an integer in {lo}..{hi}")
            if len(set(values)) != len(values):
                raise ConfigError(key, values, "each value once")
        if not self.scale > 0:
            raise ConfigError("scale", self.scale, "a number > 0")
        if self.scale > MAX_SCALE:
            raise ConfigError("scale", self.scale, f"a number in (0, {MAX_SCALE:g}] (features "
                              "are angles in [0, scale * pi]; the encoding is periodic)",
                              problem="too large:")
        if self.entangler not in ENTANGLERS:
            raise UnknownNameError("entangler", self.entangler, "entangler", ENTANGLERS)
        if not 1 <= self.workers <= 64:
            raise ConfigError("workers", self.workers, "an integer in 1..64")
        if not 2 <= self.folds <= 20:
            raise ConfigError("folds", self.folds, "an integer in 2..20")
        if not self.svm_c > 0:
            raise ConfigError("svm_c", self.svm_c, "a number > 0")
        if self.svm_c > MAX_SVM_C:
            raise ConfigError("svm_c", self.svm_c, f"a number in (0, {MAX_SVM_C:g}] (SVM "
                              "regularization; libsvm slows down without end as C grows)",
                              problem="too large:")
        if self.n_samples is not None:
            need = self.folds * self.class_count
            if self.n_samples < need:
                raise ConfigError("n_samples", self.n_samples, min_samples_text(
                    need, self.folds, self.class_count), problem="too few samples for the "
                    "folds and classes:")
        for key in self.resources:
            if key != "default" and key not in BACKENDS:
                raise UnknownNameError(f"resources.{key}", key, "kernel backend",
                                       [*BACKENDS, "default"])
        for name in self.backends:
            res = self.resources_for(name)
            if name in GPU_BACKENDS and res.num_gpus <= 0:
                raise ConfigError(f"resources.{name}.num_gpus", res.num_gpus,
                                  "a GPU fraction > 0 (e.g. 0.25 packs four workers on a GPU)",
                                  problem=f"backend {name} runs on a GPU but reserves none:")
            if name not in GPU_BACKENDS and res.num_gpus > 0:
                raise ConfigError(f"resources.{name}.num_gpus", res.num_gpus,
                                  "0 for a CPU backend",
                                  problem=f"backend {name} does not use a GPU:")

    @property
    def class_count(self) -> int:
        """Classes of the configured dataset (digits: 10 or ``len(classes)``)."""
        if self.dataset == "classification":
            return self.n_classes or 2
        return len(self.classes) if self.classes is not None else 10

    @staticmethod
    def _check_names(key: str, names: list[str], table, label: str) -> None:  # noqa: ANN001
        if not names:
            raise ConfigError(key, names, f"a non-empty list of: {', '.join(table)}")
        for i, name in enumerate(names):
            if name not in table:
                raise UnknownNameError(f"{key}[{i}]", name, label, table)
        if len(set(names)) != len(names):
            raise ConfigError(key, names, "each name once")

    def result_keys(self) -> tuple[str, ...]:
        return (*super().result_keys(), "dataset", "n_samples", "n_classes", "classes",
                "backends", "precision", "n_qubits", "layers", "tiles", "scale", "entangler",
                "workers", "folds", "svm_c", "qcnn")
