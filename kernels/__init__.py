"""Numeric hot paths of the quantum-kernel workload: batched embedding and Gram kernels.

One interface (:class:`~kernels.base.KernelBackend`), several backends (numpy, numba,
torch, torch-cuda, cupy). This package imports only numerical libraries: no Ray, no qray.
"""

from kernels.base import KernelBackend
from kernels.feature_map import FeatureMap, product_kernel
from kernels.registry import (
    BACKENDS,
    GPU_BACKENDS,
    available_backends,
    get_backend,
    unavailable_reason,
)

__all__ = [
    "BACKENDS",
    "GPU_BACKENDS",
    "FeatureMap",
    "KernelBackend",
    "available_backends",
    "get_backend",
    "product_kernel",
    "unavailable_reason",
]
