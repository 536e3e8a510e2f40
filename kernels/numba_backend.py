"""The numba backend: one statevector per sample in a parallel loop, and a parallel
row-by-row Gram loop (no BLAS)."""

from __future__ import annotations

from typing import Any

import numpy as np

from kernels.base import KernelBackend
from kernels.feature_map import OP_CNOT, OP_RY_DATA, FeatureMap

_JIT: dict[str, Any] = {}


def _compile() -> dict[str, Any]:
    if _JIT:
        return _JIT
    import numba

    @numba.njit(parallel=True, cache=True)
    def embed(x, scale, n, program, out):  # pragma: no cover - compiled
        dim = out.shape[1]
        for s in numba.prange(x.shape[0]):
            psi = out[s]
            psi[:] = 0
            psi[0] = 1
            for k in range(program.shape[0]):
                op = int(program[k, 0])
                a = int(program[k, 1])
                if op == OP_CNOT:
                    cbit = 1 << (n - 1 - a)
                    tbit = 1 << (n - 1 - int(program[k, 2]))
                    for i in range(dim):
                        if (i & cbit) and not (i & tbit):
                            j = i | tbit
                            tmp = psi[i]
                            psi[i] = psi[j]
                            psi[j] = tmp
                    continue
                half = scale * x[s, a] / 2 if op == OP_RY_DATA else program[k, 3] / 2
                c = np.cos(half)
                sn = np.sin(half)
                bit = 1 << (n - 1 - a)
                for i in range(dim):
                    if i & bit:
                        continue
                    a0 = psi[i]
                    a1 = psi[i | bit]
                    if op == OP_RY_DATA:
                        psi[i] = c * a0 - sn * a1
                        psi[i | bit] = sn * a0 + c * a1
                    else:
                        psi[i] = c * a0 - 1j * sn * a1
                        psi[i | bit] = c * a1 - 1j * sn * a0

    @numba.njit(parallel=True, cache=True)
    def gram(a, b, out):  # pragma: no cover - compiled
        for i in numba.prange(a.shape[0]):
            ai = np.conj(a[i])
            for j in range(b.shape[0]):
                bj = b[j]
                re = 0.0
                im = 0.0
                for k in range(a.shape[1]):
                    z = ai[k] * bj[k]
                    re += z.real
                    im += z.imag
                out[i, j] = re * re + im * im

    _JIT.update(embed=embed, gram=gram)
    return _JIT


class NumbaBackend(KernelBackend):
    """Parallel numba loops (threads from ``NUMBA_NUM_THREADS``)."""

    name = "numba"

    @classmethod
    def unavailable_reason(cls) -> str | None:
        try:
            import numba  # noqa: F401
        except ImportError:
            return "numba is not installed"
        return None

    def embed(self, x: np.ndarray, fmap: FeatureMap) -> np.ndarray:
        x = fmap.check_features(x)
        out = np.empty((len(x), fmap.dim), dtype=self.complex_dtype)
        _compile()["embed"](x.astype(self.real_dtype), self.real_dtype.type(fmap.scale),
                            fmap.n_qubits, fmap.program(), out)
        return out

    def gram_block(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.empty((len(a), len(b)), dtype=self.real_dtype)
        _compile()["gram"](np.ascontiguousarray(a), np.ascontiguousarray(b), out)
        return out

    def to_numpy(self, arr: Any) -> np.ndarray:
        return np.asarray(arr)

    def from_numpy(self, arr: np.ndarray) -> np.ndarray:
        return np.asarray(arr, dtype=self.complex_dtype if np.iscomplexobj(arr)
                          else self.real_dtype)
