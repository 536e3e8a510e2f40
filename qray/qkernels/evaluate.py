"""SVM on a precomputed kernel and the classification metrics of one fold."""

from __future__ import annotations

import numpy as np

METRICS = ("accuracy", "f1", "roc_auc", "balanced_accuracy")


def scores(y_true: np.ndarray, y_pred: np.ndarray, decision: np.ndarray,
           labels: np.ndarray) -> dict[str, float]:
    """Accuracy, macro F1, ROC-AUC (binary; one-vs-rest macro average of the decision
    values for more classes; ``labels`` are the classes of the decision columns, the
    model's ``classes_``) and balanced accuracy."""
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, roc_auc_score

    if decision.ndim == 1:
        auc = roc_auc_score(y_true, decision)
    else:
        auc = float(np.mean([roc_auc_score(y_true == c, decision[:, i])
                             for i, c in enumerate(labels)]))
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "f1": float(f1_score(y_true, y_pred, average="macro")),
        "roc_auc": float(auc),
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
    }


def svm_precomputed(k_train: np.ndarray, y_train: np.ndarray, k_test: np.ndarray,
                    y_test: np.ndarray, *, c: float) -> dict[str, float]:
    """Fit an SVM on the training Gram matrix, score it on ``K(test, train)``."""
    from sklearn.svm import SVC

    if len(np.unique(y_test)) < len(np.unique(y_train)):
        raise ValueError("a test fold lacks a class; use fewer folds or more samples")
    model = SVC(kernel="precomputed", C=c, decision_function_shape="ovr")
    model.fit(k_train.astype(np.float64), y_train)
    k_test = k_test.astype(np.float64)
    return scores(y_test, model.predict(k_test), model.decision_function(k_test),
                  model.classes_)


def svm_rbf(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
            y_test: np.ndarray, *, c: float) -> dict[str, float]:
    """The classical reference: an RBF SVM (``gamma='scale'``) on the same features."""
    from sklearn.svm import SVC

    model = SVC(kernel="rbf", gamma="scale", C=c, decision_function_shape="ovr")
    model.fit(x_train, y_train)
    return scores(y_test, model.predict(x_test), model.decision_function(x_test),
                  model.classes_)
