"""The cupy backend: the numpy implementation on a CUDA GPU (cuBLAS GEMM)."""

from __future__ import annotations

from typing import Any

import numpy as np

from kernels.base import ArrayBackend


class CupyBackend(ArrayBackend):
    """Batched gates and the Gram GEMM with cupy on the current CUDA device."""

    name = "cupy"

    def __init__(self, precision: str | None = None) -> None:
        super().__init__(precision)
        import cupy

        self.xp = cupy

    @classmethod
    def unavailable_reason(cls) -> str | None:
        try:
            import cupy
        except ImportError:
            return "cupy is not installed"
        try:
            if cupy.cuda.runtime.getDeviceCount() < 1:
                return "cupy sees no CUDA GPU"
        except Exception as exc:  # no driver, no device
            return f"cupy sees no CUDA GPU ({type(exc).__name__})"
        return None

    def to_numpy(self, arr: Any) -> np.ndarray:
        return self.xp.asnumpy(arr)

    def from_numpy(self, arr: np.ndarray) -> Any:
        return self.xp.asarray(arr)

    def synchronize(self) -> None:
        self.xp.cuda.get_current_stream().synchronize()
