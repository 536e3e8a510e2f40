"""Benchmark circuits of the routing evaluation, generated offline and seeded.

- ``random``: random interaction circuits, ``gates`` CX on uniformly random pairs of
  distinct qubits (the training generator's distribution; evaluation keys are held out);
- ``qft``, ``ghz``: ``qray.circuits``' circuits (no measurements);
- ``qaoa_maxcut``: one QAOA layer for MaxCut on a seeded random 3-regular graph (RZZ);
- ``mqt-<name>``: MQT Bench's target-independent ``<name>`` benchmark, when installed;
  ``<name>`` is one of ``MQT_BENCHMARKS`` (checked even where mqt.bench is missing).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from qray.errors import ConfigError, closest

FAMILIES = ("random", "qft", "ghz", "qaoa_maxcut")
MQT_PREFIX = "mqt-"
#: MQT Bench 2's benchmarks that scale to any circuit size (its target-independent level,
#: loaded through ``qray.circuits.sources``); kept here so a mistyped name is refused at
#: config time even where MQT Bench is not installed
MQT_BENCHMARKS = (
    "ae", "bv", "dj", "ghz", "graphstate", "grover", "qaoa", "qft", "qftentangled", "qnn",
    "qpeexact", "qpeinexact", "qwalk", "randomcircuit", "vqe_real_amp", "vqe_su2",
    "vqe_two_local", "wstate",
)
#: every family name the routing sweep knows
KNOWN_FAMILIES = (*FAMILIES, *(MQT_PREFIX + b for b in MQT_BENCHMARKS))
#: evaluation keys start here; training draws keys below ``TRAIN_SEED_LIMIT``
EVAL_SEED_BASE = 10_000_000
TRAIN_SEED_LIMIT = 1_000_000
#: keys of the circuits that pick and check each trained router
VALIDATION_SEED_BASE = 30_000_000


def random_pairs(n_qubits: int, gates: int, key: int) -> np.ndarray:
    """The interaction circuit of random-circuit ``key``: ``gates`` pairs, (gates, 2)."""
    from qray.routing.qgym.generators import BasicInteractionGenerator

    gen = BasicInteractionGenerator(gates, seed=key, min_length=gates, n_qubits=n_qubits)
    return gen.generate()


def mqt_available() -> bool:
    try:
        import mqt.bench  # noqa: F401
    except ImportError:
        return False
    return True


def family_deterministic(family: str) -> bool:
    """Whether every instance of ``family`` at one size is the same circuit."""
    return family in ("qft", "ghz") or family.startswith(MQT_PREFIX)


def unknown_family(family: Any, key: str) -> ConfigError:
    """The error of a family that is neither built in nor in ``MQT_BENCHMARKS``."""
    mqt = isinstance(family, str) and family.startswith(MQT_PREFIX)
    if mqt:
        near = closest(family[len(MQT_PREFIX):], MQT_BENCHMARKS)
        suggestion = MQT_PREFIX + near if near else None
    else:
        suggestion = closest(str(family), KNOWN_FAMILIES)
    return ConfigError(
        key, family, f"{', '.join(FAMILIES)}, or mqt-<benchmark> with <benchmark> one of "
        f"mqt.bench's {', '.join(MQT_BENCHMARKS)}",
        problem="unknown MQT Bench benchmark" if mqt else "unknown family",
        hint=f"did you mean {suggestion!r}?" if suggestion else None)


def check_family(family: str, key: str) -> None:
    """Refuse a family that is neither built in nor one of mqt.bench's ``MQT_BENCHMARKS``."""
    if family not in KNOWN_FAMILIES:
        raise unknown_family(family, key)


def benchmark_circuit(family: str, n_qubits: int, key: int, gates: int = 50) -> Any:
    """The ``QuantumCircuit`` of ``family`` on ``n_qubits`` for instance ``key``."""
    from qiskit import QuantumCircuit

    if family == "random":
        qc = QuantumCircuit(n_qubits)
        for a, b in random_pairs(n_qubits, gates, key):
            qc.cx(int(a), int(b))
        return qc
    if family in ("qft", "ghz"):
        from qray.circuits import make_circuit
        from qray.circuits.qiskit import to_qiskit

        return to_qiskit(make_circuit(family, n_qubits), measure=False)
    if family == "qaoa_maxcut":
        import networkx as nx

        rng = np.random.default_rng(key)
        degree = 3 if n_qubits % 2 == 0 and n_qubits > 3 else 2
        graph = nx.random_regular_graph(degree, n_qubits, seed=int(rng.integers(2**31)))
        gamma, beta = (float(v) for v in rng.uniform(0, np.pi, size=2))
        qc = QuantumCircuit(n_qubits)
        qc.h(range(n_qubits))
        for u, v in sorted(graph.edges):
            qc.rzz(2 * gamma, u, v)
        qc.rx(2 * beta, range(n_qubits))
        return qc
    if family.startswith(MQT_PREFIX):
        from qray.circuits.sources import mqt_circuit

        qc = mqt_circuit(family[len(MQT_PREFIX):], n_qubits, "families", level="indep")
        return qc.remove_final_measurements(inplace=False)
    raise unknown_family(family, "families")
