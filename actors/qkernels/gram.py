"""The tiled, distributed Gram matrix over ``KernelWorker`` actors.

The driver splits the samples into row blocks of ``tile`` samples, has the workers embed
each block once (the resulting state blocks live in the object store; every tile task
receives references, never copies made by the driver), then schedules the tiles
``(i, j)`` (only ``j >= i`` for a symmetric matrix) on the least-busy worker with at most
``max_in_flight`` tiles outstanding (backpressure: the object store holds a bounded
number of result tiles), and assembles the matrix or hands each tile to a ``sink``
(streaming, for matrices too large to hold: N = 50,000 is 10 GB in float32).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import ray

from kernels import FeatureMap
from kernels.base import place_tile

log = logging.getLogger(__name__)

Sink = Callable[[int, int, np.ndarray], None]


class TiledGram:
    """``gram(x, y=None) -> (K, stats)`` computed by ``workers``.

    Args:
        workers: KernelWorker handles (all of one backend).
        fmap: the feature map.
        tile: samples per row/column block.
        max_in_flight: tiles outstanding at once (default: 2 per worker).
        dtype: dtype of the assembled matrix.
    """

    def __init__(self, workers: Sequence[Any], fmap: FeatureMap, tile: int, *,
                 max_in_flight: int | None = None, dtype: str = "float32") -> None:
        if not workers:
            raise ValueError("TiledGram needs at least one worker")
        if tile < 1:
            raise ValueError(f"tile={tile}: allowed an integer >= 1")
        self.workers = list(workers)
        self.fmap = fmap
        self.tile = int(tile)
        self.max_in_flight = max_in_flight or 2 * len(self.workers)
        self.dtype = np.dtype(dtype)
        self._blocks: dict[int, tuple[np.ndarray, list[Any]]] = {}
        self.tiles_per_worker = [0] * len(self.workers)

    def embed_blocks(self, x: np.ndarray) -> list[Any]:
        """Object refs of the state blocks of ``x`` (embedded once per array object)."""
        cached = self._blocks.get(id(x))
        if cached is not None and cached[0] is x:
            return cached[1]
        refs = [self.workers[k % len(self.workers)].embed.remote(x[i0:i0 + self.tile],
                                                                self.fmap)
                for k, i0 in enumerate(range(0, len(x), self.tile))]
        self._blocks.pop(id(x), None)
        self._blocks[id(x)] = (x, refs)
        while len(self._blocks) > 2:  # the current (train, test) pair at most
            self._blocks.pop(next(iter(self._blocks)))
        return refs

    def __call__(self, x: np.ndarray, y: np.ndarray | None = None, *,
                 sink: Sink | None = None) -> tuple[np.ndarray | None, dict[str, Any]]:
        t0 = time.perf_counter()
        sym = y is None or y is x  # K(x, x) is the symmetric matrix
        a_refs = self.embed_blocks(x)
        b_refs = a_refs if sym else self.embed_blocks(y)
        ray.wait(a_refs + (b_refs if not sym else []), num_returns=len(a_refs) +
                 (0 if sym else len(b_refs)), fetch_local=False)
        t1 = time.perf_counter()
        n_rows, n_cols = len(x), len(x) if sym else len(y)
        out = None if sink is not None else np.empty((n_rows, n_cols), dtype=self.dtype)
        tiles = [(i, j) for i in range(len(a_refs))
                 for j in range(i if sym else 0, len(b_refs))]
        pending: dict[Any, int] = {}
        peak = 0
        load = [0] * len(self.workers)
        queue = list(reversed(tiles))
        while queue or pending:
            while queue and len(pending) < self.max_in_flight:
                i, j = queue.pop()
                w = min(range(len(self.workers)), key=load.__getitem__)
                b = None if sym and i == j else b_refs[j]
                ref = self.workers[w].gram_tile.remote(a_refs[i], b, i * self.tile,
                                                       j * self.tile)
                pending[ref] = w
                load[w] += 1
                peak = max(peak, len(pending))
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                w = pending.pop(ref)
                load[w] -= 1
                self.tiles_per_worker[w] += 1
                i0, j0, block = ray.get(ref)
                if sink is not None:
                    sink(i0, j0, block)
                    continue
                place_tile(out, i0, j0, block, symmetric=sym)
        t2 = time.perf_counter()
        return out, {"embed_s": t1 - t0, "gram_s": t2 - t1, "tiles": len(tiles),
                     "peak_in_flight": peak}
