"""Every available kernel backend against the float64 numpy reference.

Imports only numpy, pytest and ``kernels`` (which needs only numba/torch/cupy), so it runs
as it is on a GPU machine without Ray or network. GPU backends skip cleanly without a GPU.
"""

from __future__ import annotations

import numpy as np
import pytest

from kernels import BACKENDS, GPU_BACKENDS, FeatureMap, get_backend, product_kernel
from kernels.base import cnot_permutation
from kernels.registry import unavailable_reason

TOL = {"float32": 1e-5, "float64": 1e-10}


def _params() -> list:
    out = []
    for name in BACKENDS:
        marks = [pytest.mark.gpu] if name in GPU_BACKENDS else []
        reason = unavailable_reason(name)
        if reason:
            marks.append(pytest.mark.skip(reason=f"{name}: {reason}"))
        for precision in ("float32", "float64"):
            out.append(pytest.param(name, precision, marks=marks, id=f"{name}-{precision}"))
    return out


@pytest.fixture
def fresh() -> tuple[np.random.Generator, int]:
    """A fresh random generator per test; its seed is in every failure message."""
    seed = int(np.random.SeedSequence().entropy % 2**32)
    return np.random.default_rng(seed), seed


def _rel(k: np.ndarray, ref: np.ndarray) -> float:
    return float(np.linalg.norm(k - ref) / np.linalg.norm(ref))


@pytest.mark.parametrize(("name", "precision"), _params())
def test_symmetric_gram_matches_reference(name: str, precision: str, fresh) -> None:
    rng, seed = fresh
    n_qubits = int(rng.integers(2, 9))
    fmap = FeatureMap(n_qubits, layers=int(rng.integers(2, 4)), seed=seed,
                      scale=float(rng.uniform(0.5, 2.0)))
    x = rng.uniform(-np.pi, np.pi, size=(int(rng.integers(40, 160)), n_qubits))
    ref = get_backend("numpy", "float64").kernel(x, None, fmap)
    backend = get_backend(name, precision)
    k = backend.kernel(x, None, fmap, tile=int(rng.integers(7, 64)))
    assert k.dtype == np.dtype(precision)
    err = _rel(k.astype(np.float64), ref)
    assert err < TOL[precision], f"seed {seed}: relative Frobenius error {err:.2e}"
    assert np.array_equal(k, k.T), f"seed {seed}: not symmetric"
    assert np.abs(np.diag(k) - 1).max() < 10 * TOL[precision], f"seed {seed}: diagonal != 1"
    assert np.linalg.eigvalsh(k.astype(np.float64)).min() > -1e-4, f"seed {seed}: not PSD"
    assert k.min() >= 0 and k.max() <= 1 + 10 * TOL[precision]


@pytest.mark.parametrize(("name", "precision"), _params())
def test_rectangular_gram_matches_reference(name: str, precision: str, fresh) -> None:
    rng, seed = fresh
    fmap = FeatureMap(5, layers=2, seed=seed, entangler="line")
    x = rng.uniform(0, np.pi, size=(37, 5))
    y = rng.uniform(0, np.pi, size=(53, 5))
    ref = get_backend("numpy", "float64").kernel(x, y, fmap)
    k = get_backend(name, precision).kernel(x, y, fmap, tile=16)
    assert k.shape == (37, 53)
    err = _rel(k.astype(np.float64), ref)
    assert err < TOL[precision], f"seed {seed}: relative Frobenius error {err:.2e}"


@pytest.mark.parametrize(("name", "precision"), _params())
def test_states_are_normalized(name: str, precision: str, fresh) -> None:
    rng, seed = fresh
    fmap = FeatureMap(6, layers=3, seed=seed)
    backend = get_backend(name, precision)
    states = backend.to_numpy(backend.embed(rng.normal(size=(20, 6)), fmap))
    assert states.shape == (20, 64)
    assert np.abs(np.linalg.norm(states, axis=1) - 1).max() < 10 * TOL[precision]


def _reference_states(fmap: FeatureMap, x: np.ndarray) -> np.ndarray:
    """An independent statevector simulator: every gate as a full 2^n x 2^n matrix built
    with Kronecker products (qubit 0 = most significant bit)."""
    n = fmap.n_qubits
    eye, proj0, proj1 = np.eye(2), np.diag([1.0, 0.0]), np.diag([0.0, 1.0])
    xgate = np.array([[0.0, 1.0], [1.0, 0.0]])

    def on(q: int, g: np.ndarray) -> np.ndarray:
        out = np.ones((1, 1))
        for k in range(n):
            out = np.kron(out, g if k == q else eye)
        return out

    def cnot(c: int, t: int) -> np.ndarray:
        a, b = np.ones((1, 1)), np.ones((1, 1))
        for k in range(n):
            a = np.kron(a, proj0 if k == c else eye)
            b = np.kron(b, proj1 if k == c else (xgate if k == t else eye))
        return a + b

    def ry(th: float) -> np.ndarray:
        c, s = np.cos(th / 2), np.sin(th / 2)
        return np.array([[c, -s], [s, c]])

    def rx(th: float) -> np.ndarray:
        c, s = np.cos(th / 2), np.sin(th / 2)
        return np.array([[c, -1j * s], [-1j * s, c]])

    theta = fmap.angles()
    out = []
    for xi in x:
        psi = np.zeros(1 << n, dtype=complex)
        psi[0] = 1
        for layer in range(fmap.layers):
            for q in range(n):
                psi = on(q, ry(fmap.scale * xi[q])) @ psi
            for c, t in fmap.cnot_pairs():
                psi = cnot(c, t) @ psi
            for q in range(n):
                psi = on(q, rx(theta[layer, q])) @ psi
        out.append(psi)
    return np.array(out)


@pytest.mark.parametrize("dense", [True, False], ids=["dense-entangler", "gate-by-gate"])
@pytest.mark.parametrize(("name", "precision"), _params())
def test_states_match_an_independent_simulator(name: str, precision: str, dense: bool,
                                               fresh) -> None:
    """Both embedding paths (entanglers as one GEMM, and gate by gate as registers above
    10 qubits use) against Kronecker-product matrices, not against kernels' own code."""
    rng, seed = fresh
    n = int(rng.integers(2, 5))
    fmap = FeatureMap(n, layers=int(rng.integers(1, 4)), seed=seed,
                      entangler=str(rng.choice(["ring", "line"])))
    x = rng.uniform(-np.pi, np.pi, size=(9, n))
    backend = get_backend(name, precision)
    if not dense:
        if not hasattr(backend, "dense_max_dim"):
            pytest.skip(f"{name} has a single (gate-by-gate) path")
        backend.dense_max_dim = 0
    states = backend.to_numpy(backend.embed(x, fmap))
    err = np.abs(states - _reference_states(fmap, x)).max()
    assert err < 10 * TOL[precision], f"seed {seed}: max state error {err:.2e}"


def test_one_layer_is_the_product_kernel(fresh) -> None:
    """The entangler after a single encoding cancels from every overlap (the seed's trap)."""
    rng, seed = fresh
    x = rng.uniform(-2, 2, size=(30, 4))
    one = FeatureMap(4, layers=1, seed=seed, scale=1.3)
    two = FeatureMap(4, layers=2, seed=seed, scale=1.3)
    numpy = get_backend("numpy")
    assert np.abs(numpy.kernel(x, None, one) - product_kernel(one, x)).max() < 1e-12
    assert np.abs(numpy.kernel(x, None, two) - product_kernel(two, x)).max() > 1e-2


def test_cnot_permutation_matches_gate_by_gate() -> None:
    fmap = FeatureMap(3, layers=1, entangler="ring")
    perm = cnot_permutation(fmap)
    psi = np.arange(8.0)
    expect = psi.copy()
    for c, t in fmap.cnot_pairs():  # CNOT on basis index bits (qubit 0 = MSB)
        cbit, tbit = 1 << (2 - c), 1 << (2 - t)
        expect = np.array([expect[i ^ tbit] if i & cbit else expect[i] for i in range(8)])
    assert np.array_equal(psi[perm], expect)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_qubits": 0}, "n_qubits=0"),
    ({"n_qubits": 3, "layers": 0}, "layers=0"),
    ({"n_qubits": 3, "entangler": "star"}, "entangler='star'"),
    ({"n_qubits": 2, "layers": 1, "weights": ((1.0,),)}, "weights has shape"),
])
def test_bad_feature_maps_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FeatureMap(**kwargs)


def test_bad_features_are_refused() -> None:
    backend = get_backend("numpy")
    with pytest.raises(ValueError, match=r"allowed \(N, 3\)"):
        backend.embed(np.zeros((4, 2)), FeatureMap(3))
    with pytest.raises(ValueError, match="NaN"):
        backend.embed(np.full((4, 3), np.nan), FeatureMap(3))
    with pytest.raises(KeyError, match="known"):
        get_backend("opencl")
    with pytest.raises(ValueError, match="no samples"):
        backend.embed(np.zeros((0, 3)), FeatureMap(3))
    states = backend.embed(np.zeros((4, 3)), FeatureMap(3))
    with pytest.raises(ValueError, match="tile=-1"):
        backend.gram(states, tile=-1)
