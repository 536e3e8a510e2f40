"""The feature map: angle encoding interleaved with entangling layers (data re-uploading).

Layer ``l`` (``l = 0 .. layers-1``) applies ``RY(scale * x_q)`` to every qubit ``q``, then
the entangler: a ring (or line) of CNOTs followed by ``RX(theta[l, q])`` on every qubit.
The entangler of the last layer acts after the last encoding, so it cancels out of every
overlap; with ``layers = 1`` the kernel is therefore exactly the classical product
kernel ``prod_q cos^2(scale * (x_q - y_q) / 2)`` (see :func:`product_kernel`). That is the
trap the seed project's kernel fell into; ``layers >= 2`` is a genuine quantum kernel.

Qubit 0 is the most significant bit of a basis-state index (PennyLane's wire order).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: op codes of a compiled program (see :meth:`FeatureMap.program`)
OP_RY_DATA = 0  # RY(scale * x[:, arg]) on qubit a
OP_RX_CONST = 1  # RX(angle) on qubit a
OP_CNOT = 2  # CNOT control a, target b

ENTANGLERS = ("ring", "line")


@dataclass(frozen=True)
class FeatureMap:
    """A data re-uploading feature map on ``n_qubits`` qubits.

    Attributes:
        n_qubits: qubits; every sample has exactly this many features.
        layers: encoding + entangling layers (>= 1; 1 gives the product kernel).
        scale: angle per unit of feature (``RY(scale * x)``).
        entangler: ``ring`` (CNOT q -> q+1 mod n) or ``line`` (no wrap-around).
        seed: seed of the entangler angles when ``weights`` is not given.
        weights: RX angles, shape ``(layers, n_qubits)``; drawn U(0, 2 pi) from ``seed``
            when omitted.
    """

    n_qubits: int
    layers: int = 2
    scale: float = 1.0
    entangler: str = "ring"
    seed: int = 0
    weights: tuple[tuple[float, ...], ...] | None = field(default=None)

    def __post_init__(self) -> None:
        if not isinstance(self.n_qubits, int) or not 1 <= self.n_qubits <= 24:
            raise ValueError(f"n_qubits={self.n_qubits!r}: allowed an integer in 1..24")
        if not isinstance(self.layers, int) or self.layers < 1:
            raise ValueError(f"layers={self.layers!r}: allowed an integer >= 1")
        if self.entangler not in ENTANGLERS:
            raise ValueError(f"entangler={self.entangler!r}: allowed one of {ENTANGLERS}")
        if not np.isfinite(self.scale) or self.scale == 0:
            raise ValueError(f"scale={self.scale!r}: allowed a finite non-zero number")
        if self.weights is not None:
            w = np.asarray(self.weights, dtype=float)
            if w.shape != (self.layers, self.n_qubits):
                raise ValueError(f"weights has shape {w.shape}: allowed "
                                 f"({self.layers}, {self.n_qubits}) (layers, n_qubits)")
            # hashable (maps key the backends' caches) whatever sequence type was given
            object.__setattr__(self, "weights", tuple(tuple(float(v) for v in r) for r in w))

    @property
    def dim(self) -> int:
        """Statevector length ``2**n_qubits``."""
        return 1 << self.n_qubits

    def angles(self) -> np.ndarray:
        """The entangler's RX angles, shape ``(layers, n_qubits)``."""
        if self.weights is not None:
            return np.asarray(self.weights, dtype=np.float64)
        rng = np.random.default_rng(self.seed)
        return rng.uniform(0.0, 2.0 * np.pi, size=(self.layers, self.n_qubits))

    def cnot_pairs(self) -> list[tuple[int, int]]:
        """(control, target) pairs of one entangling layer."""
        n = self.n_qubits
        if n == 1:
            return []
        pairs = [(q, q + 1) for q in range(n - 1)]
        if self.entangler == "ring" and n > 2:
            pairs.append((n - 1, 0))
        return pairs

    def program(self) -> np.ndarray:
        """The gate sequence as rows ``(op, a, b, value)`` (float64).

        ``OP_RY_DATA``: ``a`` = qubit = feature index; ``OP_RX_CONST``: ``a`` = qubit,
        ``value`` = angle; ``OP_CNOT``: ``a`` = control, ``b`` = target.
        """
        theta = self.angles()
        ops: list[tuple[float, float, float, float]] = []
        for layer in range(self.layers):
            ops += [(OP_RY_DATA, q, 0, 0.0) for q in range(self.n_qubits)]
            ops += [(OP_CNOT, c, t, 0.0) for c, t in self.cnot_pairs()]
            ops += [(OP_RX_CONST, q, 0, theta[layer, q]) for q in range(self.n_qubits)]
        return np.asarray(ops, dtype=np.float64).reshape(-1, 4)

    def check_features(self, x: np.ndarray) -> np.ndarray:
        """``x`` as a float64 ``(N, n_qubits)`` array, or a ValueError saying why not."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.n_qubits:
            raise ValueError(f"features have shape {x.shape}: allowed (N, {self.n_qubits}), "
                             f"one feature per qubit")
        if len(x) == 0:
            raise ValueError("features have no samples: allowed at least one row")
        if not np.all(np.isfinite(x)):
            raise ValueError("features contain NaN or infinity: allowed finite numbers")
        return x


def product_kernel(fmap: FeatureMap, x: np.ndarray, y: np.ndarray | None = None) -> np.ndarray:
    """The classical kernel ``prod_q cos^2(scale * (x_q - y_q) / 2)``, which a one-layer
    map (encoding followed by an entangler) equals exactly."""
    x = fmap.check_features(x)
    y = x if y is None else fmap.check_features(y)
    diff = x[:, None, :] - y[None, :, :]
    return np.prod(np.cos(fmap.scale * diff / 2.0) ** 2, axis=-1)
