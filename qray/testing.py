"""Conformance checkers for simulator backends, usable by third-party backends too.

Each checker raises AssertionError with a message naming the backend, the circuit and the
measured discrepancy.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from qray.circuits.ir import Circuit
from qray.circuits.noise import NoiseSpec
from qray.simulators.base import Backend
from qray.simulators.numpy_ref import ideal_probabilities

#: exact distributions must match the float64 reference to this absolute tolerance per
#: outcome (qsim computes in complex64, hence not 1e-12)
PROB_ATOL = 1e-5
#: a sampled histogram fails the chi-square goodness-of-fit test below this p-value
#: (with ~80 checks in the suite, a false alarm has probability < 1e-4)
CHI2_MIN_PVALUE = 1e-6


def assert_probabilities_match(backend: Backend, circuit: Circuit,
                               atol: float = PROB_ATOL) -> float:
    """The backend's exact noiseless distribution equals the numpy reference."""
    ref = ideal_probabilities(circuit)
    got = np.asarray(backend.probabilities(circuit), dtype=float)
    assert got.shape == ref.shape, f"{backend.name}: {got.shape} outcomes, expected {ref.shape}"
    err = float(np.abs(got - ref).max())
    assert err <= atol, (f"{backend.name} on {circuit.family}({circuit.n_qubits}): "
                         f"max |p - p_ref| = {err:.2e} > {atol:.0e}")
    return err


def chi_square_pvalue(outcomes: np.ndarray, probs: np.ndarray, *, min_expected: float = 5.0) -> float:
    """p-value of a chi-square goodness-of-fit test of ``outcomes`` against ``probs``.

    Outcomes whose expected count is below ``min_expected`` are pooled into one bin;
    an outcome of probability zero that was observed gives p = 0.
    """
    shots = outcomes.size
    observed = np.bincount(outcomes, minlength=probs.size).astype(float)
    if observed[probs <= 1e-12].sum() > 0:
        return 0.0
    expected = probs * shots
    big = expected >= min_expected
    obs = list(observed[big])
    exp = list(expected[big])
    rest_exp = expected[~big].sum()
    if rest_exp > 0:
        obs.append(observed[~big].sum())
        exp.append(rest_exp)
    if len(obs) < 2:
        return 1.0
    exp_arr = np.asarray(exp)
    exp_arr *= shots / exp_arr.sum()
    return float(stats.chisquare(np.asarray(obs), exp_arr).pvalue)


def assert_samples_match(backend: Backend, circuit: Circuit, *, shots: int = 4000,
                         seed: int = 1234, noise: NoiseSpec | None = None) -> float:
    """The backend's sampled histogram is consistent with the reference distribution."""
    noise = noise or NoiseSpec()
    probs = ideal_probabilities(circuit, noise)
    outcomes = np.asarray(backend.compile(circuit, noise).sample(shots, seed))
    assert outcomes.shape == (shots,), f"{backend.name}: got {outcomes.shape} samples"
    p = chi_square_pvalue(outcomes, probs)
    assert p >= CHI2_MIN_PVALUE, (f"{backend.name} on {circuit.family}({circuit.n_qubits}): "
                                  f"chi-square p = {p:.2e} < {CHI2_MIN_PVALUE:.0e}")
    return p


def ghz_population(outcomes: np.ndarray, n_qubits: int) -> float:
    """Fraction of shots in |0...0> or |1...1>."""
    ones = (1 << n_qubits) - 1
    return float(np.mean((outcomes == 0) | (outcomes == ones)))
