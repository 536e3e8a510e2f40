"""The kernels' numbers against PennyLane's own for the same feature map."""

from __future__ import annotations

import numpy as np
import pytest

from kernels import FeatureMap, available_backends, get_backend
from qray.qkernels.pennylane_map import square_kernel_matrix, statevectors


@pytest.mark.parametrize("entangler", ["ring", "line"])
def test_kernel_matches_pennylane_square_kernel_matrix(entangler: str) -> None:
    rng = np.random.default_rng(7)
    fmap = FeatureMap(4, layers=3, seed=11, entangler=entangler, scale=0.8)
    x = rng.uniform(0, np.pi, size=(10, 4))
    k_pl = square_kernel_matrix(fmap, x)
    for name in available_backends():
        k = get_backend(name, "float64").kernel(x, None, fmap)
        assert np.abs(k - k_pl).max() < 1e-10, name
    # and it is not the classical product kernel
    assert np.abs(k_pl - np.prod(np.cos(0.8 * (x[:, None] - x[None]) / 2) ** 2, -1)).max() > 1e-2


def test_statevectors_match_pennylane_exactly() -> None:
    rng = np.random.default_rng(3)
    fmap = FeatureMap(5, layers=2, seed=4)
    x = rng.normal(size=(6, 5))
    ours = get_backend("numpy").embed(x, fmap)
    assert np.abs(ours - statevectors(fmap, x)).max() < 1e-12
