"""The exact GHZ population P(0...0) + P(1...1) of qray's ``ghz`` circuit under its noise
model, computed (not fitted) for the noise-sweep plot.

The circuit is H on qubit 0 then CX(q, q+1); after each gate a depolarizing channel puts
one of the 3 (one-qubit) or 15 (two-qubit) non-identity Paulis with total probability p1
(p2); each measured bit flips with probability ``readout``. Every error happens after the
H, and a CX maps the X part of a Pauli to an X part (x_t ^= x_c), so the outcome's flip
pattern is a Markov chain over the 2**n X masks: exact, and cheap up to about 24 qubits.
The population is the probability that the final mask is all zeros or all ones.
"""

from __future__ import annotations

import numpy as np

#: qubits up to which the 2**n-entry chain is computed
MAX_QUBITS = 24


def _bit_channel(d: np.ndarray, axis: int, f: float) -> np.ndarray:
    return (1 - f) * d + f * np.flip(d, axis) if f else d


def ghz_population(n: int, p1: float, p2: float | None = None, readout: float = 0.0) -> float:
    """Exact P(0...0) + P(1...1) of the n-qubit ``ghz`` circuit (NaN above
    :data:`MAX_QUBITS` qubits); ``p2`` defaults to ``p1``."""
    if n > MAX_QUBITS:
        return float("nan")
    p2 = p1 if p2 is None else p2
    d = np.zeros((2,) * n)
    d[(0,) * n] = 1.0
    d = _bit_channel(d, 0, 2 * p1 / 3)  # after H: X and Y of the three flip the bit
    # two-qubit depolarizing: an X pattern (a, b) != (0, 0) comes from 4 of the 15 Paulis,
    # (0, 0) from the other 3 (IZ, ZI, ZZ)
    keep, each = 1 - p2 + 3 * p2 / 15, 4 * p2 / 15
    for q in range(n - 1):
        moved = d.copy()  # CX(q, q+1): where bit q is 1, bit q+1 flips
        idx = [slice(None)] * n
        idx[q] = 1
        moved[tuple(idx)] = np.flip(d[tuple(idx)], q)  # axis q+1 is axis q of the slice
        d = (keep * moved + each * (np.flip(moved, q + 1) + np.flip(moved, q)
                                    + np.flip(np.flip(moved, q), q + 1)))
    for q in range(n):
        d = _bit_channel(d, q, readout)
    return float(d[(0,) * n] + d[(1,) * n])
