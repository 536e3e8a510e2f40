"""The kernel-backend interface and the array-library-generic implementation.

A backend turns features into statevectors (``embed``) and statevectors into a Gram
matrix ``K = |A B^H|^2`` (``gram``). numpy, cupy and torch share the implementation below:
their arrays support the same indexing, ``reshape``, ``stack`` and ``@``; only the array
module (``xp``) and the device differ. numba has its own loops (``numba_backend``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np

from kernels.feature_map import FeatureMap

PRECISIONS = ("float32", "float64")

#: registers up to this statevector length apply each entangling layer as a dense GEMM ...
DENSE_MAX_DIM = 1024
#: ... when the map's dense entanglers (complex128, one 2^n x 2^n matrix per layer) fit here
DENSE_MAX_BYTES = 64 * 2**20


class KernelBackend(ABC):
    """One way to compute fidelity kernels.

    Args:
        precision: ``float32`` (complex64 states) or ``float64`` (complex128 states).
    """

    name: str = ""
    #: the default precision of this backend
    default_precision: str = "float32"

    def __init__(self, precision: str | None = None) -> None:
        precision = precision or self.default_precision
        if precision not in PRECISIONS:
            raise ValueError(f"precision={precision!r}: allowed one of {PRECISIONS}")
        self.precision = precision
        self.real_dtype = np.dtype(precision)
        self.complex_dtype = np.dtype("complex64" if precision == "float32" else "complex128")

    # -- availability --------------------------------------------------------------------
    @classmethod
    def unavailable_reason(cls) -> str | None:
        """Why this backend cannot run here (missing library or device), or None."""
        return None

    # -- per-backend primitives --------------------------------------------------------
    @abstractmethod
    def embed(self, x: np.ndarray, fmap: FeatureMap) -> Any:
        """Statevectors of the samples ``x`` (N, n_qubits) as a native (N, 2**n) array."""

    @abstractmethod
    def gram_block(self, a: Any, b: Any) -> Any:
        """``|a b^H|^2`` for native state blocks, as a native real array."""

    @abstractmethod
    def to_numpy(self, arr: Any) -> np.ndarray:
        """A native array copied to host memory (synchronizes the device)."""

    @abstractmethod
    def from_numpy(self, arr: np.ndarray) -> Any:
        """A host array moved to the backend (its device and precision)."""

    def synchronize(self) -> None:
        """Wait for queued device work (for timing); a no-op on CPU backends."""
        return None

    # -- generic ---------------------------------------------------------------------------
    def gram_tiles(self, a: Any, b: Any | None = None, *, tile: int | None = None
                   ) -> Iterator[tuple[int, int, np.ndarray]]:
        """Host tiles ``(i0, j0, K[i0:i0+t, j0:j0+t])`` of the Gram matrix.

        With ``b`` omitted the matrix is symmetric and only tiles with ``j0 >= i0`` are
        computed (diagonal tiles are symmetrized exactly); the caller mirrors the rest.
        """
        sym = b is None
        b = a if sym else b
        n_a, n_b = len(a), len(b)
        if tile is not None and int(tile) < 1:
            raise ValueError(f"tile={tile!r}: allowed an integer >= 1, or None for one tile")
        t = max(n_a, n_b, 1) if tile is None else int(tile)
        for i0 in range(0, n_a, t):
            for j0 in range(i0 if sym else 0, n_b, t):
                diagonal = sym and i0 == j0
                yield i0, j0, self.host_tile(a[i0:i0 + t], None if diagonal else b[j0:j0 + t])

    def host_tile(self, a: Any, b: Any | None) -> np.ndarray:
        """``|a b^H|^2`` on the host; ``b=None`` is a diagonal tile of a symmetric matrix,
        symmetrized exactly."""
        block = self.to_numpy(self.gram_block(a, a if b is None else b))
        return (block + block.T) / 2 if b is None else block

    def gram(self, a: Any, b: Any | None = None, *, tile: int | None = None) -> np.ndarray:
        """The Gram matrix as a host array (symmetric when ``b`` is omitted), computed
        tile by tile so that device memory holds one tile at a time."""
        sym = b is None
        n_b = len(a) if sym else len(b)
        out = np.empty((len(a), n_b), dtype=self.real_dtype)
        for i0, j0, block in self.gram_tiles(a, b, tile=tile):
            place_tile(out, i0, j0, block, symmetric=sym)
        return out

    def kernel(self, x: np.ndarray, y: np.ndarray | None, fmap: FeatureMap, *,
               tile: int | None = None) -> np.ndarray:
        """``K(x, y)`` (or the symmetric ``K(x, x)`` when ``y`` is None) on the host."""
        a = self.embed(x, fmap)
        return self.gram(a, None if y is None else self.embed(y, fmap), tile=tile)


class ArrayBackend(KernelBackend):
    """numpy/cupy/torch: gates applied to all N states at once as array operations."""

    #: the array module (numpy, cupy or torch)
    xp: Any = np
    #: largest statevector length whose entanglers are applied as a GEMM (0: gate by gate)
    dense_max_dim: int = DENSE_MAX_DIM

    def stack(self, arrays: list[Any], axis: int) -> Any:
        return self.xp.stack(arrays, axis)

    def embed(self, x: np.ndarray, fmap: FeatureMap) -> Any:
        x = fmap.check_features(x)
        n, n_samples = fmap.n_qubits, len(x)
        half = self.from_numpy((fmap.scale * x / 2.0).astype(self.real_dtype))
        cos, sin = self.xp.cos(half), self.xp.sin(half)
        # the entangler (CNOTs + constant RX layer) is one fixed unitary per layer: for
        # small registers apply it as a GEMM on all states at once, else gate by gate
        dense = uses_dense_entanglers(fmap, self.dense_max_dim)
        if dense:
            ent_t = self._entanglers(fmap)
        else:
            theta = fmap.angles()
            perm = self.index_array(cnot_permutation(fmap))
        # layer 0's encoding acts on |0...0>: a product state, built directly
        psi = self.from_numpy(np.ones((n_samples, 1), dtype=self.complex_dtype))
        for q in range(n):
            amp = self.stack([cos[:, q], sin[:, q]], 1).reshape(n_samples, 1, 2)
            psi = (psi.reshape(n_samples, -1, 1) * amp).reshape(n_samples, -1)
        for layer in range(fmap.layers):
            if layer:
                for q in range(n):
                    psi = self.rotate(psi, n, q, cos[:, q].reshape(-1, 1, 1),
                                      sin[:, q].reshape(-1, 1, 1), imaginary=False)
            if dense:
                psi = psi @ ent_t[layer]
                continue
            if perm is not None:
                psi = psi[:, perm]
            for q in range(n):
                c, s = np.cos(theta[layer, q] / 2), np.sin(theta[layer, q] / 2)
                psi = self.rotate(psi, n, q, c, s, imaginary=True)
        return psi

    def _entanglers(self, fmap: FeatureMap) -> list[Any]:
        """The map's transposed entangler unitaries on this backend (kept per map)."""
        cache = self.__dict__.setdefault("_entangler_cache", {})
        if fmap not in cache:
            if len(cache) >= 2:
                cache.pop(next(iter(cache)))
            cache[fmap] = [self.from_numpy(np.ascontiguousarray(m.T).astype(self.complex_dtype))
                           for m in entangler_unitaries(fmap)]
        return cache[fmap]

    def rotate(self, psi: Any, n: int, q: int, c: Any, s: Any, *, imaginary: bool) -> Any:
        """Apply RY (``imaginary=False``) or RX with half-angle cos ``c`` and sin ``s``
        (scalars or per-sample ``(N, 1, 1)`` arrays) to qubit ``q``."""
        n_samples = psi.shape[0]
        p = psi.reshape(n_samples, 1 << q, 2, 1 << (n - q - 1))
        a0, a1 = p[:, :, 0, :], p[:, :, 1, :]
        out = self.xp.empty_like(p)
        if imaginary:  # RX = [[c, -i s], [-i s, c]]
            out[:, :, 0, :] = c * a0 - 1j * s * a1
            out[:, :, 1, :] = c * a1 - 1j * s * a0
        else:  # RY = [[c, -s], [s, c]]
            out[:, :, 0, :] = c * a0 - s * a1
            out[:, :, 1, :] = s * a0 + c * a1
        return out.reshape(n_samples, -1)

    def index_array(self, perm: np.ndarray | None) -> Any:
        return None if perm is None else self.from_numpy_int(perm)

    def from_numpy_int(self, arr: np.ndarray) -> Any:
        return self.xp.asarray(arr)

    def gram_block(self, a: Any, b: Any) -> Any:
        g = a @ b.conj().T
        return g.real * g.real + g.imag * g.imag


def place_tile(out: np.ndarray, i0: int, j0: int, block: np.ndarray, *,
               symmetric: bool) -> None:
    """Write tile ``(i0, j0)`` into ``out``; in a symmetric matrix also its mirror."""
    out[i0:i0 + block.shape[0], j0:j0 + block.shape[1]] = block
    if symmetric and i0 != j0:
        out[j0:j0 + block.shape[1], i0:i0 + block.shape[0]] = block.T


def cnot_permutation(fmap: FeatureMap) -> np.ndarray | None:
    """Index array ``perm`` with ``new = old[:, perm]`` for one layer of the map's CNOTs
    (applied in order), or None when the map has no CNOTs."""
    pairs = fmap.cnot_pairs()
    if not pairs:
        return None
    n = fmap.n_qubits
    idx = np.arange(1 << n)
    src = idx.copy()
    for c, t in pairs:
        cbit, tbit = 1 << (n - 1 - c), 1 << (n - 1 - t)
        # new[i] = old[i ^ tbit] when control set; compose: src <- src[perm_this]
        perm = np.where(idx & cbit, idx ^ tbit, idx)
        src = src[perm]
    return src


def uses_dense_entanglers(fmap: FeatureMap, max_dim: int = DENSE_MAX_DIM) -> bool:
    """Whether ``fmap``'s entanglers are applied as dense GEMMs (small registers)."""
    return fmap.dim <= max_dim and fmap.layers * fmap.dim**2 * 16 <= DENSE_MAX_BYTES


@lru_cache(maxsize=4)
def entangler_unitaries(fmap: FeatureMap) -> tuple[np.ndarray, ...]:
    """The unitary of each layer's entangler (its CNOTs, then RX(theta[l, q]) on every
    qubit) as a dense complex128 matrix, built gate by gate on the identity's columns."""
    perm = cnot_permutation(fmap)
    n, dim = fmap.n_qubits, fmap.dim
    theta = fmap.angles()
    out = []
    for layer in range(fmap.layers):
        cols = np.eye(dim, dtype=np.complex128)  # row k = basis state k, as a batch
        if perm is not None:
            cols = cols[:, perm]
        for q in range(n):
            c, s = np.cos(theta[layer, q] / 2), np.sin(theta[layer, q] / 2)
            p = cols.reshape(dim, 1 << q, 2, 1 << (n - q - 1))
            a0, a1 = p[:, :, 0, :].copy(), p[:, :, 1, :].copy()
            p[:, :, 0, :] = c * a0 - 1j * s * a1
            p[:, :, 1, :] = c * a1 - 1j * s * a0
        out.append(cols.T)  # column k = U |k>
    return tuple(out)
