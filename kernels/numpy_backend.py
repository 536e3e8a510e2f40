"""The reference backend: numpy, float64 by default."""

from __future__ import annotations

from typing import Any

import numpy as np

from kernels.base import ArrayBackend


class NumpyBackend(ArrayBackend):
    """Batched gates with numpy; the Gram block is one BLAS complex GEMM."""

    name = "numpy"
    default_precision = "float64"
    xp = np

    def to_numpy(self, arr: Any) -> np.ndarray:
        return np.asarray(arr)

    def from_numpy(self, arr: np.ndarray) -> Any:
        return np.asarray(arr)
