"""The kernels' feature map as a PennyLane circuit: the independent reference the
conformance test compares against, and the one-circuit-per-pair baseline of the benchmark
(``qml.kernels.square_kernel_matrix``, as the seed project computed its kernel)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kernels.feature_map import FeatureMap


def apply_feature_map(fmap: FeatureMap, x: np.ndarray) -> None:
    """Queue the gates of ``fmap`` on sample ``x`` (inside a QNode)."""
    import pennylane as qml

    theta = fmap.angles()
    for layer in range(fmap.layers):
        for q in range(fmap.n_qubits):
            qml.RY(fmap.scale * x[q], wires=q)
        for c, t in fmap.cnot_pairs():
            qml.CNOT(wires=[c, t])
        for q in range(fmap.n_qubits):
            qml.RX(theta[layer, q], wires=q)


def pair_kernel(fmap: FeatureMap, device: str = "default.qubit") -> Callable[..., float]:
    """``k(x1, x2) = |<0|U(x2)^H U(x1)|0>|^2`` as one circuit per call."""
    import pennylane as qml

    dev = qml.device(device, wires=fmap.n_qubits)
    wires = list(range(fmap.n_qubits))

    @qml.qnode(dev)
    def overlap(x1, x2):  # noqa: ANN001, ANN202
        apply_feature_map(fmap, x1)
        qml.adjoint(apply_feature_map)(fmap, x2)
        return qml.probs(wires=wires)

    def kernel(x1: np.ndarray, x2: np.ndarray) -> float:
        return float(overlap(x1, x2)[0])

    return kernel


def square_kernel_matrix(fmap: FeatureMap, x: np.ndarray) -> np.ndarray:
    """PennyLane's ``square_kernel_matrix`` over ``x`` (N(N-1)/2 circuits)."""
    import pennylane as qml

    return np.asarray(qml.kernels.square_kernel_matrix(x, pair_kernel(fmap),
                                                       assume_normalized_kernel=True))


def statevectors(fmap: FeatureMap, x: np.ndarray) -> np.ndarray:
    """One PennyLane statevector per sample (for phase-independent checks)."""
    import pennylane as qml

    dev = qml.device("default.qubit", wires=fmap.n_qubits)

    @qml.qnode(dev)
    def state(xi):  # noqa: ANN001, ANN202
        apply_feature_map(fmap, xi)
        return qml.state()

    return np.stack([np.asarray(state(xi)) for xi in x])
