"""The exact GHZ population agrees with the numpy density-matrix reference."""

from __future__ import annotations

import numpy as np
import pytest

from qray.circuits.families import ghz
from qray.circuits.noise import NoiseSpec
from qray.simulators.backends.numpy_backend import density_matrix
from qray.simulators.ghz_exact import ghz_population


@pytest.mark.parametrize(("n", "p1", "p2"), [(2, 0.05, 0.05), (4, 0.1, 0.02), (5, 0.0, 0.2),
                                             (3, 0.3, 0.0)])
def test_matches_the_density_matrix(n: int, p1: float, p2: float) -> None:
    probs = np.real(np.diag(density_matrix(ghz(n), NoiseSpec.depolarizing(p1, p2=p2))))
    assert ghz_population(n, p1, p2) == pytest.approx(probs[0] + probs[-1], abs=1e-12)


def test_readout_and_limits() -> None:
    assert ghz_population(6, 0.0) == pytest.approx(1.0)
    # readout alone: both all-equal patterns survive when no bit or every bit flips
    r = 0.1
    assert ghz_population(3, 0.0, readout=r) == pytest.approx((1 - r) ** 3 + r ** 3)
    assert np.isnan(ghz_population(30, 0.01))
