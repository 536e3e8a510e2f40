"""Every registered simulator backend against the numpy reference.

Tolerances: exact distributions within 1e-5 per outcome (qray.testing.PROB_ATOL; qsim
computes in complex64); sampled histograms pass a chi-square goodness-of-fit test at
p >= 1e-6; the noisy GHZ-10 population within 5 standard errors of the exact 0.9328.
"""

from __future__ import annotations

import numpy as np
import pytest

from qray.circuits import NoiseSpec, make_circuit
from qray.errors import UnsupportedError
from qray.simulators.backends.numpy_backend import ideal_probabilities
from qray.simulators.registry import BACKENDS, new_backend
from qray.testing import assert_probabilities_match, assert_samples_match, ghz_population


def _backend(name: str):
    reason = BACKENDS[name].unavailable_reason()
    if reason is not None:
        pytest.skip(f"{name}: {reason}")
    return new_backend(name)


GENERAL = [n for n, b in BACKENDS.items() if not b.clifford_only]
NOISY = [n for n, b in BACKENDS.items() if b.supports_noise]


#: (backend, width); default.mixed's 10-qubit density matrices take about 45 s: `slow`
WIDTHS = [pytest.param(name, n, id=f"{name}-{n}",
                       marks=[pytest.mark.slow] if (name, n) == ("pennylane-default-mixed", 10)
                       else [])
          for name in GENERAL for n in (5, 10)]


@pytest.mark.parametrize("family", ["ghz", "qft", "random"])
@pytest.mark.parametrize(("name", "n"), WIDTHS)
def test_general_backend_matches_reference(name: str, family: str, n: int) -> None:
    backend = _backend(name)
    circuit = make_circuit(family, n, depth=6, seed=7)
    assert_probabilities_match(backend, circuit)
    assert_samples_match(backend, circuit, shots=3000, seed=11)


@pytest.mark.parametrize("n", [5, 10])
@pytest.mark.parametrize("family", ["ghz", "clifford"])
def test_stim_runs_clifford_family(family: str, n: int) -> None:
    backend = _backend("stim")
    circuit = make_circuit(family, n, depth=8, seed=3)
    assert circuit.is_clifford
    assert_probabilities_match(backend, circuit)
    assert_samples_match(backend, circuit, shots=3000, seed=5)


@pytest.mark.parametrize("family", ["qft", "random"])
def test_stim_refuses_non_clifford(family: str) -> None:
    backend = _backend("stim")
    circuit = make_circuit(family, 4, depth=3, seed=1)
    with pytest.raises(UnsupportedError, match=r"stim.*Clifford circuits only.*non-Clifford gates"):
        backend.compile(circuit, NoiseSpec())


@pytest.mark.parametrize("name", [n for n in GENERAL if n != "numpy"])
def test_clifford_family_on_general_backends(name: str) -> None:
    backend = _backend(name)
    assert_probabilities_match(backend, make_circuit("clifford", 6, depth=8, seed=2))


def test_bit_order_is_big_endian_everywhere() -> None:
    """X on qubit 0 of 3 gives outcome 0b100 = 4 on every backend."""
    from qray.circuits.ir import Circuit, Gate

    circuit = Circuit(3, (Gate("x", (0,)),), "custom")
    for name in BACKENDS:
        if BACKENDS[name].unavailable_reason() is not None:
            continue
        out = new_backend(name).compile(circuit, NoiseSpec()).sample(10, 1)
        assert set(np.asarray(out).tolist()) == {4}, name


EXACT_GHZ10 = float(ideal_probabilities(make_circuit("ghz", 10), NoiseSpec.depolarizing(0.01))[[0, 1023]].sum())


def test_exact_noisy_ghz10_population() -> None:
    # the figure the spec quotes for p = 0.01 (qray's convention)
    assert pytest.approx(0.9328, abs=5e-4) == EXACT_GHZ10


@pytest.mark.parametrize("name", NOISY)
def test_noisy_ghz10_agrees_across_backends(name: str) -> None:
    """Every noise-capable backend's GHZ-10 population at p = 0.01 agrees with the exact
    value (and so with each other) within sampling error; Aer only with lambda = 4p/3,
    16p/15."""
    backend = _backend(name)
    shots = 4000
    out = np.asarray(backend.compile(make_circuit("ghz", 10), NoiseSpec.depolarizing(0.01))
                     .sample(shots, 2024))
    pop = ghz_population(out, 10)
    stderr = np.sqrt(EXACT_GHZ10 * (1 - EXACT_GHZ10) / shots)
    assert abs(pop - EXACT_GHZ10) < 5 * stderr, f"{name}: {pop:.4f} vs {EXACT_GHZ10:.4f}"


def test_aer_needs_the_lambda_conversion() -> None:
    """At p = 0.2 the converted Aer channel matches the reference while passing p straight
    to Aer's depolarizing_error would be off by more than 5 standard errors."""
    from qray.circuits.noise import aer_lambda

    assert aer_lambda(0.01, 1) == pytest.approx(4 * 0.01 / 3)
    assert aer_lambda(0.01, 2) == pytest.approx(16 * 0.01 / 15)
    backend = _backend("qiskit-aer-density")
    circuit, shots = make_circuit("ghz", 6), 20000
    exact = float(ideal_probabilities(circuit, NoiseSpec.depolarizing(0.2))[[0, 63]].sum())
    naive = float(ideal_probabilities(circuit, NoiseSpec(p1=0.15, p2=0.1875))[[0, 63]].sum())
    stderr = np.sqrt(exact * (1 - exact) / shots)
    pop = ghz_population(np.asarray(
        backend.compile(circuit, NoiseSpec.depolarizing(0.2)).sample(shots, 99)), 6)
    assert abs(pop - exact) < 5 * stderr
    assert abs(naive - exact) > 5 * stderr


@pytest.mark.parametrize("name", [n for n, b in BACKENDS.items() if not b.supports_noise])
def test_noiseless_only_backends_refuse_noise(name: str) -> None:
    backend = _backend(name)
    with pytest.raises(UnsupportedError, match="cannot apply depolarizing noise"):
        backend.check(make_circuit("ghz", 3), NoiseSpec.depolarizing(0.01))
