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

    @numba.njit(parallel=True, fastmath=True, cache=True)
    def gram(ar, ai, br, bi, out):  # pragma: no cover - compiled
        # real and imaginary parts in separate contiguous arrays: the inner loop is four
        # fused multiply-adds that the compiler vectorizes
        for i in numba.prange(ar.shape[0]):
            for j in range(br.shape[0]):
                re = ar[i, 0] * 0
                im = ar[i, 0] * 0
                for k in range(ar.shape[1]):
                    re += ar[i, k] * br[j, k] + ai[i, k] * bi[j, k]
                    im += ar[i, k] * bi[j, k] - ai[i, k] * br[j, k]
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
        parts = [np.ascontiguousarray(p) for z in (a, b) for p in (z.real, z.imag)]
        _compile()["gram"](*parts, out)
        return out

    def to_numpy(self, arr: Any) -> np.ndarray:
        return np.asarray(arr)

    def from_numpy(self, arr: np.ndarray) -> np.ndarray:
        return np.asarray(arr, dtype=self.complex_dtype if np.iscomplexobj(arr)
                          else self.real_dtype)
