"""Datasets that ship offline and their per-fold preprocessing.

Scaling and PCA are fitted on each training fold only (no test statistics leak into the
features); the encoded features are rescaled to ``[0, scale * pi]`` on the training fold's
range, and test features are clipped to that range.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Fold:
    """One stratified fold's features and labels."""

    index: int
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_dataset(name: str, *, n_samples: int | None, n_classes: int | None,
                 classes: Sequence[int] | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` of ``digits`` (optionally a class subset and a stratified subsample) or
    of ``make_classification`` (``n_samples`` samples, default 1000, 20 features)."""
    if name == "digits":
        from sklearn.datasets import load_digits

        x, y = load_digits(return_X_y=True)
        if classes is not None:
            keep = np.isin(y, list(classes))
            x, y = x[keep], y[keep]
        if n_samples is not None and n_samples < len(y):
            from sklearn.model_selection import train_test_split

            x, _, y, _ = train_test_split(x, y, train_size=n_samples, stratify=y,
                                          random_state=seed)
        return x.astype(np.float64), y
    if name == "classification":
        from sklearn.datasets import make_classification

        x, y = make_classification(n_samples=n_samples or 1000, n_features=20,
                                   n_informative=8, n_redundant=4, n_classes=n_classes or 2,
                                   n_clusters_per_class=2, class_sep=1.0, random_state=seed)
        return x, y
    raise ValueError(f"dataset={name!r}: allowed digits or classification")


def folds(x: np.ndarray, y: np.ndarray, *, k: int, seed: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Stratified k-fold splits ``(index, train_idx, test_idx)``."""
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for i, (tr, te) in enumerate(splitter.split(x, y)):
        yield i, tr, te


def encode_features(x_train: np.ndarray, x_test: np.ndarray, n_features: int,
                    scale: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Standardize, reduce to ``n_features`` principal components and rescale to
    ``[0, scale * pi]`` -- each fitted on the training fold."""
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    std = StandardScaler().fit(x_train)
    pca = PCA(n_components=n_features, random_state=seed).fit(std.transform(x_train))
    tr = pca.transform(std.transform(x_train))
    te = pca.transform(std.transform(x_test))
    mm = MinMaxScaler(feature_range=(0.0, scale * np.pi), clip=True).fit(tr)
    return mm.transform(tr), mm.transform(te)
