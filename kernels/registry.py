"""Kernel backends by name."""

from __future__ import annotations

import importlib

from kernels.base import KernelBackend

#: backend name -> "module:Class"
BACKENDS: dict[str, str] = {
    "numpy": "kernels.numpy_backend:NumpyBackend",
    "numba": "kernels.numba_backend:NumbaBackend",
    "torch": "kernels.torch_backend:TorchBackend",
    "torch-cuda": "kernels.torch_backend:TorchCudaBackend",
    "cupy": "kernels.cupy_backend:CupyBackend",
}

#: backends that run on a GPU
GPU_BACKENDS = frozenset({"torch-cuda", "cupy"})


def backend_class(name: str) -> type[KernelBackend]:
    """The class of backend ``name`` (KeyError naming the known ones otherwise)."""
    if name not in BACKENDS:
        raise KeyError(f"unknown kernel backend {name!r}; known: {', '.join(BACKENDS)}")
    module, cls = BACKENDS[name].split(":")
    return getattr(importlib.import_module(module), cls)


def unavailable_reason(name: str) -> str | None:
    """Why backend ``name`` cannot run on this machine, or None when it can."""
    return backend_class(name).unavailable_reason()


def available_backends() -> list[str]:
    """Backends that can run here, in registry order."""
    return [n for n in BACKENDS if unavailable_reason(n) is None]


def get_backend(name: str, precision: str | None = None) -> KernelBackend:
    """An instance of backend ``name`` (``precision``: float32 or float64; default
    float64 for numpy, float32 otherwise). RuntimeError when it cannot run here."""
    cls = backend_class(name)
    reason = cls.unavailable_reason()
    if reason:
        raise RuntimeError(f"kernel backend {name!r} is unavailable: {reason}")
    return cls(precision)
