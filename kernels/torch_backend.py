"""torch backends: ``torch`` on CPU, ``torch-cuda`` on the current CUDA device (cuBLAS)."""

from __future__ import annotations

from typing import Any

import numpy as np

from kernels.base import ArrayBackend


class TorchBackend(ArrayBackend):
    """Batched gates and the Gram GEMM with torch on the CPU."""

    name = "torch"
    device = "cpu"

    def __init__(self, precision: str | None = None) -> None:
        super().__init__(precision)
        import torch

        self.xp = torch
        self._device = torch.device(self.device)

    @classmethod
    def unavailable_reason(cls) -> str | None:
        try:
            import torch  # noqa: F401
        except ImportError:
            return "torch is not installed"
        return None

    def to_numpy(self, arr: Any) -> np.ndarray:
        return arr.detach().cpu().numpy()

    def from_numpy(self, arr: np.ndarray) -> Any:
        if not arr.flags.writeable:  # e.g. a zero-copy block from Ray's object store
            arr = arr.copy()
        return self.xp.from_numpy(np.ascontiguousarray(arr)).to(self._device)

    def from_numpy_int(self, arr: np.ndarray) -> Any:
        return self.xp.from_numpy(arr.astype(np.int64)).to(self._device)

    def gram_block(self, a: Any, b: Any) -> Any:
        g = a @ b.mH
        return g.real.square() + g.imag.square()

    def synchronize(self) -> None:
        if self._device.type == "cuda":
            self.xp.cuda.synchronize(self._device)


class TorchCudaBackend(TorchBackend):
    """The torch backend on a CUDA GPU."""

    name = "torch-cuda"
    device = "cuda"

    @classmethod
    def unavailable_reason(cls) -> str | None:
        reason = super().unavailable_reason()
        if reason:
            return reason
        import torch

        if not torch.cuda.is_available():
            return "torch sees no CUDA GPU"
        return None
