"""Circuit families are deterministic and well formed."""

from __future__ import annotations

import numpy as np
import pytest

from qray.circuits import FAMILIES, make_circuit
from qray.errors import ConfigError
from qray.simulators.backends.numpy_backend import ideal_probabilities


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_deterministic_per_seed(family: str) -> None:
    assert make_circuit(family, 5, depth=4, seed=9) == make_circuit(family, 5, depth=4, seed=9)


def test_random_depends_on_seed_and_depth() -> None:
    assert make_circuit("random", 5, depth=4, seed=1) != make_circuit("random", 5, depth=4, seed=2)
    assert len(make_circuit("random", 5, depth=8).gates) > len(make_circuit("random", 5, depth=4).gates)


def test_ghz_and_clifford_flags() -> None:
    assert make_circuit("ghz", 4).is_clifford
    assert make_circuit("clifford", 6, depth=5, seed=3).is_clifford
    assert not make_circuit("qft", 4).is_clifford
    p = ideal_probabilities(make_circuit("ghz", 4))
    assert p[0] == pytest.approx(0.5) and p[15] == pytest.approx(0.5)


def test_qft_output_is_not_trivial() -> None:
    p = ideal_probabilities(make_circuit("qft", 5))
    assert p.max() < 0.9 and np.count_nonzero(p > 1e-3) > 4 and p.std() > 0.01


def test_unknown_family() -> None:
    with pytest.raises(ConfigError, match="did you mean 'qft'"):
        make_circuit("qtf", 3)
