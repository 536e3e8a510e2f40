"""The hybrid QCNN feature extractor (PennyLane + torch).

A classical encoder maps the standardized input to ``n_qubits`` angles in
``[0, scale * pi]``; a quantum convolutional network (RY angle encoding, two-qubit
convolution blocks on even then odd pairs, pooling by keeping every other qubit) reads
them, and a linear head classifies from the kept qubits' ``<Z>``. After a short training
on the training fold, the encoder's angles are the features the quantum kernel encodes:
a learned embedding, where PCA is a fixed one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)


@dataclass
class QcnnResult:
    """Features of one fold and how training went."""

    train_features: np.ndarray
    test_features: np.ndarray
    losses: list[float]
    train_accuracy: float
    seconds: float


def _conv_block(weights, wires) -> None:  # noqa: ANN001
    import pennylane as qml

    a, b = wires
    qml.RY(weights[0], wires=a)
    qml.RY(weights[1], wires=b)
    qml.CNOT(wires=[a, b])
    qml.RY(weights[2], wires=a)
    qml.RY(weights[3], wires=b)
    qml.CNOT(wires=[b, a])


def build_model(n_inputs: int, n_qubits: int, n_classes: int, scale: float):  # noqa: ANN201
    """The torch module: encoder -> QCNN (TorchLayer) -> linear head."""
    import pennylane as qml
    import torch

    kept = list(range(0, n_qubits, 2)) or [0]
    dev = qml.device("default.qubit", wires=n_qubits)

    @qml.qnode(dev, interface="torch", diff_method="backprop")
    def circuit(inputs, conv1, conv2):  # noqa: ANN001, ANN202
        for q in range(n_qubits):
            qml.RY(inputs[..., q], wires=q)
        for i, q in enumerate(range(0, n_qubits - 1, 2)):
            _conv_block(conv1[i], (q, q + 1))
        for i, q in enumerate(range(1, n_qubits - 1, 2)):
            _conv_block(conv2[i], (q, q + 1))
        return [qml.expval(qml.PauliZ(q)) for q in kept]

    n_pairs = max(1, n_qubits // 2)
    shapes = {"conv1": (n_pairs, 4), "conv2": (n_pairs, 4)}

    class Hybrid(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = torch.nn.Linear(n_inputs, n_qubits)
            self.quantum = qml.qnn.TorchLayer(circuit, shapes)
            self.head = torch.nn.Linear(len(kept), n_classes)

        def angles(self, x):  # noqa: ANN001, ANN202
            return torch.sigmoid(self.encoder(x)) * (scale * np.pi)

        def forward(self, x):  # noqa: ANN001, ANN202
            return self.head(self.quantum(self.angles(x)))

    return Hybrid()


def train_features(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, *,
                   n_qubits: int, scale: float, epochs: int, batch_size: int, lr: float,
                   max_train: int, seed: int) -> QcnnResult:
    """Train the hybrid model briefly on (a stratified subsample of) the training fold and
    return the encoder's angles for every training and test sample."""
    import time

    import torch
    from sklearn.preprocessing import StandardScaler

    t0 = time.perf_counter()
    torch.manual_seed(seed)
    std = StandardScaler().fit(x_train)
    xs_train = torch.tensor(std.transform(x_train), dtype=torch.float32)
    xs_test = torch.tensor(std.transform(x_test), dtype=torch.float32)
    classes, y_idx = np.unique(y_train, return_inverse=True)
    y_t = torch.tensor(y_idx, dtype=torch.long)
    fit_idx = np.arange(len(y_idx))
    if len(fit_idx) > max_train:
        from sklearn.model_selection import train_test_split

        fit_idx, _ = train_test_split(fit_idx, train_size=max_train, stratify=y_idx,
                                      random_state=seed)
    model = build_model(xs_train.shape[1], n_qubits, len(classes), scale)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    rng = np.random.default_rng(seed)
    losses: list[float] = []
    for _ in range(epochs):
        order = rng.permutation(fit_idx)
        total = 0.0
        for start in range(0, len(order), batch_size):
            idx = torch.as_tensor(order[start:start + batch_size])
            opt.zero_grad()
            loss = loss_fn(model(xs_train[idx]), y_t[idx])
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        losses.append(total / len(order))
    with torch.no_grad():
        idx = torch.as_tensor(fit_idx)
        acc = float((model(xs_train[idx]).argmax(1) == y_t[idx]).float().mean())
        f_train = model.angles(xs_train).double().numpy()
        f_test = model.angles(xs_test).double().numpy()
    seconds = time.perf_counter() - t0
    log.info("QCNN: %d epochs on %d samples in %.1fs, loss %.3f -> %.3f, train acc %.3f",
             epochs, len(fit_idx), seconds, losses[0], losses[-1], acc)
    return QcnnResult(f_train, f_test, losses, acc, seconds)
