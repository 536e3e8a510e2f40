"""Circuit families: ghz, qft, random, clifford (and qaoa_maxcut on a ring).

Each family is a pure function of its parameters and seed, so the same (family, n, depth,
seed) gives the same circuit in every process and on every backend.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from qray.circuits.ir import Circuit, Gate
from qray.errors import UnknownNameError


def ghz(n: int, depth: int = 0, seed: int = 0) -> Circuit:
    """H on qubit 0, then a CX chain: (|0...0> + |1...1>)/sqrt(2)."""
    gates = [Gate("h", (0,))] + [Gate("cx", (q, q + 1)) for q in range(n - 1)]
    return Circuit(n, tuple(gates), "ghz")


def qft(n: int, depth: int = 0, seed: int = 0) -> Circuit:
    """QFT (with its final swaps) applied to a non-trivial product input state.

    The input is RY(0.3 + 0.7 q) on each qubit q, so the output distribution is neither
    uniform nor a single peak and any bit-order or phase mistake shows.
    """
    gates = [Gate("ry", (q,), (0.3 + 0.7 * q,)) for q in range(n)]
    for j in range(n):
        gates.append(Gate("h", (j,)))
        for k in range(j + 1, n):
            gates.append(Gate("cp", (k, j), (math.pi / 2 ** (k - j),)))
    for q in range(n // 2):
        gates.append(Gate("swap", (q, n - 1 - q)))
    return Circuit(n, tuple(gates), "qft")


def random_circuit(n: int, depth: int = 10, seed: int = 0) -> Circuit:
    """``depth`` layers of random single-qubit rotations and a random matching of CZ/CX."""
    rng = np.random.default_rng(seed)
    gates: list[Gate] = []
    for _ in range(depth):
        for q in range(n):
            name = ("rx", "ry", "rz")[int(rng.integers(3))]
            gates.append(Gate(name, (q,), (float(rng.uniform(0, 2 * math.pi)),)))
        perm = rng.permutation(n)
        for a, b in zip(perm[0::2], perm[1::2], strict=False):
            gates.append(Gate(("cz", "cx")[int(rng.integers(2))], (int(a), int(b))))
    return Circuit(n, tuple(gates), "random")


def clifford(n: int, depth: int = 10, seed: int = 0) -> Circuit:
    """``depth`` layers of random H/S/identity per qubit and a random matching of CX."""
    rng = np.random.default_rng(seed)
    gates: list[Gate] = []
    for _ in range(depth):
        for q in range(n):
            choice = int(rng.integers(3))
            if choice < 2:
                gates.append(Gate(("h", "s")[choice], (q,)))
        perm = rng.permutation(n)
        for a, b in zip(perm[0::2], perm[1::2], strict=False):
            gates.append(Gate("cx", (int(a), int(b))))
    return Circuit(n, tuple(gates), "clifford")


def qaoa_maxcut(n: int, depth: int = 1, seed: int = 0) -> Circuit:
    """QAOA for MaxCut on the n-ring with ``depth`` layers and seeded angles."""
    rng = np.random.default_rng(seed)
    edges = [(q, (q + 1) % n) for q in range(n)] if n > 2 else [(0, 1)] if n == 2 else []
    gates = [Gate("h", (q,)) for q in range(n)]
    for _ in range(max(depth, 1)):
        gamma, beta = (float(v) for v in rng.uniform(0, math.pi, size=2))
        for a, b in edges:
            gates += [Gate("cx", (a, b)), Gate("rz", (b,), (2 * gamma,)), Gate("cx", (a, b))]
        gates += [Gate("rx", (q,), (2 * beta,)) for q in range(n)]
    return Circuit(n, tuple(gates), "qaoa_maxcut")


FAMILIES: dict[str, Callable[..., Circuit]] = {
    "ghz": ghz,
    "qft": qft,
    "random": random_circuit,
    "clifford": clifford,
    "qaoa_maxcut": qaoa_maxcut,
}

#: families whose circuits use their ``depth`` parameter
DEPTH_FAMILIES = frozenset({"random", "clifford", "qaoa_maxcut"})


def make_circuit(family: str, n: int, *, depth: int = 0, seed: int = 0) -> Circuit:
    """Build a circuit of ``family`` on ``n`` qubits."""
    if family not in FAMILIES:
        raise UnknownNameError("circuits", family, "circuit family", FAMILIES)
    return FAMILIES[family](n, depth, seed)
