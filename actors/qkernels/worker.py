"""``KernelWorker``: a long-lived Ray actor holding one kernel backend.

Each worker reserves what its config says: a fraction of a GPU (``num_gpus: 0.25`` packs
four on one GPU) for torch-cuda/cupy, or CPUs. It embeds blocks of samples into
statevectors and computes Gram tiles from state blocks that the driver put in the object
store once (``actors.qkernels.gram.TiledGram``); it also trains the optional QCNN feature
extractor of a point.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import ray

from actors.runtime.node import node_identity
from kernels import FeatureMap, get_backend
from qray.lifecycle import RecyclePolicy, rss_mb

log = logging.getLogger(__name__)


@ray.remote
class KernelWorker:
    """One backend (numpy, numba, torch, torch-cuda, cupy) in one process."""

    def __init__(self, backend: str, *, precision: str, threads: int, actor_name: str,
                 worker_kwargs: Mapping[str, Any] | None = None, num_gpus: float = 0.0) -> None:
        logging.basicConfig(level=logging.INFO)
        kwargs = dict(worker_kwargs or {})
        self.backend = get_backend(backend, precision)
        if backend.startswith("torch"):
            import torch

            torch.set_num_threads(threads)
        if num_gpus:
            cap_gpu_memory(backend, num_gpus)
        self.actor_name = actor_name
        self.policy = RecyclePolicy(int(kwargs.get("max_tasks", 0)),
                                    float(kwargs.get("max_rss_mb", float("inf"))))
        self.tasks_done = 0
        self.tiles_done = 0
        self.blocks_embedded = 0
        # compile / load the backend's code paths before the first timed call
        warm = self.backend.embed(np.zeros((2, 2)), FeatureMap(2))
        self.backend.to_numpy(self.backend.gram_block(warm, warm))
        log.info("kernel worker %s (%s, %s) ready in pid %d, GPUs %s", actor_name, backend,
                 precision, os.getpid(), ray.get_gpu_ids())

    def embed(self, x: np.ndarray, fmap: FeatureMap) -> np.ndarray:
        """Host statevectors of the samples ``x`` (a block of rows)."""
        self.blocks_embedded += 1
        return self.backend.to_numpy(self.backend.embed(x, fmap))

    def gram_tile(self, a: np.ndarray, b: np.ndarray | None, i0: int, j0: int
                  ) -> tuple[int, int, np.ndarray]:
        """``(i0, j0, |a b^H|^2)``; ``b=None`` means a symmetric diagonal tile of ``a``."""
        block = self.backend.host_tile(self.backend.from_numpy(a),
                                       None if b is None else self.backend.from_numpy(b))
        self.tiles_done += 1
        return i0, j0, block

    def qcnn_features(self, x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray,
                      **kwargs: Any) -> Any:
        """Train the hybrid QCNN on a training fold; its encoder's features."""
        from qray.qkernels.qcnn import train_features

        return train_features(x_train, y_train, x_test, **kwargs)

    def node(self) -> dict[str, str]:
        """The Ray node id and host name of this worker."""
        return node_identity()

    def point_done(self) -> str | None:
        """Count a finished point; why this worker should be recycled now, or None."""
        self.tasks_done += 1
        return self.policy.reason(self.tasks_done)

    def info(self) -> dict[str, Any]:
        """Process, backend, GPU assignment, work done and memory of this worker."""
        return {
            "pid": os.getpid(),
            "name": self.actor_name,
            "backend": self.backend.name,
            "precision": self.backend.precision,
            "gpu_ids": [str(g) for g in ray.get_gpu_ids()],
            "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
            "tasks_done": self.tasks_done,
            "tiles_done": self.tiles_done,
            "blocks_embedded": self.blocks_embedded,
            "rss_mb": rss_mb(),
        }


def cap_gpu_memory(backend: str, fraction: float) -> None:
    """Limit this process's GPU memory to its reserved fraction of the GPU, so that the
    caching allocators of workers packed on one GPU cannot starve each other."""
    fraction = min(1.0, float(fraction))
    if backend == "torch-cuda":
        import torch

        torch.cuda.set_per_process_memory_fraction(fraction)
    elif backend == "cupy":
        import cupy

        cupy.get_default_memory_pool().set_limit(fraction=fraction)
