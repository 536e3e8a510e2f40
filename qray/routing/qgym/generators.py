"""Interaction generators (qgym's names): random pairs, nothing, or Qiskit circuits / QASM.

As in qgym 0.3.1 a generator is an infinite iterator (``next(gen)`` is a circuit,
``gen.finite`` is False) with ``set_state_attributes(**kwargs)``; the env accepts qgym's
own generators too. An env seeds its generator on ``reset(seed=...)``, so a seeded reset
reproduces the circuit (in qgym it did not). ``BasicInteractionGenerator`` draws from
qgym's distribution (length uniform in 1..max_length, each gate a uniform pair of distinct
qubits) with a vectorized draw, so a seed gives other circuits than qgym's.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np


class InteractionGenerator(Iterator[np.ndarray]):
    """Makes the interaction circuit of an episode: an integer array of logical qubit pairs.

    Abstract, as qgym's: a generator implements ``__next__`` (qray's own implement
    :meth:`generate`, which ``__next__`` calls, through :class:`GeneratorBase`) and
    ``set_state_attributes``."""

    finite: bool = False

    @abstractmethod
    def __next__(self) -> np.ndarray:
        """The next interaction circuit: an integer array of shape (k, 2)."""

    @abstractmethod
    def set_state_attributes(self, **kwargs: Any) -> None:
        """Receive the env's state attributes (``connection_graph``, ...)."""


class GeneratorBase(InteractionGenerator):
    """qray's generators: ``__next__`` is :meth:`generate`; the width follows the
    connection graph unless ``n_qubits`` was given; seeding as qgym's ``seed``."""

    fixed_width: bool = False

    def __next__(self) -> np.ndarray:
        return self.generate()

    def set_state_attributes(self, **kwargs: Any) -> None:
        """Called by the env with its ``connection_graph``: the width follows the graph
        unless ``n_qubits`` was given, which must fit in it."""
        graph = kwargs.get("connection_graph")
        if graph is None:
            return
        n = graph.number_of_nodes()
        if not self.fixed_width:
            self.n_qubits = n
        elif self.n_qubits > n:
            raise ValueError(f"n_qubits={self.n_qubits} exceeds the connection graph's {n} "
                             "qubits")

    def seed(self, seed: int | np.random.Generator | None) -> None:
        """Reseed: an int, None, or a numpy ``Generator`` used as is (as qgym's ``seed``)."""
        self.rng = (seed if isinstance(seed, np.random.Generator)
                    else np.random.default_rng(seed))

    @abstractmethod
    def generate(self) -> np.ndarray:
        """The next interaction circuit."""


class BasicInteractionGenerator(GeneratorBase):
    """Circuits of ``min_length..max_length`` gates (uniform; ``min_length`` defaults to 1
    as in qgym),
    each a uniformly random pair of distinct qubits among ``n_qubits`` (default: all of
    the connection graph's)."""

    def __init__(self, max_length: int = 10, seed: int | np.random.Generator | None = None, *,
                 min_length: int | None = None, n_qubits: int | None = None) -> None:
        if int(max_length) < 1:
            raise ValueError(f"max_length must be >= 1, got {max_length}")
        self.max_length = int(max_length)
        self.min_length = 1 if min_length is None else int(min_length)
        if not 1 <= self.min_length <= self.max_length:
            raise ValueError(f"min_length must be in [1, max_length={self.max_length}], "
                             f"got {min_length}")
        if n_qubits is not None and int(n_qubits) < 2:
            raise ValueError(f"n_qubits must be >= 2, got {n_qubits}")
        if n_qubits is not None:  # else, as in qgym, set by set_state_attributes
            self.n_qubits = int(n_qubits)
        self.fixed_width = n_qubits is not None
        self.seed(seed)

    def generate(self) -> np.ndarray:
        n = getattr(self, "n_qubits", None)
        if n is None:
            raise RuntimeError("n_qubits unknown: pass it, or use the generator in an env")
        k = int(self.rng.integers(self.min_length, self.max_length + 1))
        a = self.rng.integers(0, n, size=k)
        b = (a + self.rng.integers(1, n, size=k)) % n  # distinct from a, uniform
        return np.stack([a, b], axis=1).astype(np.int_)


class NullInteractionGenerator(GeneratorBase):
    """No gates: pass the circuit with ``reset(options={"interaction_circuit": ...})``."""

    def __init__(self) -> None:
        self.seed(None)

    def generate(self) -> np.ndarray:
        return np.zeros((0, 2), dtype=np.int_)


class CircuitInteractionGenerator(GeneratorBase):
    """The two-qubit gates of Qiskit circuits or QASM files/strings, in turn (or in a seeded
    random order with ``shuffle``)."""

    def __init__(self, circuits: Sequence[Any], *, shuffle: bool = False,
                 seed: int | None = None) -> None:
        from qray.routing.circuits.io import interactions, load_circuit, routable

        if not circuits:
            raise ValueError("circuits: need at least one circuit or QASM file")
        self.circuits = [interactions(routable(load_circuit(c))) for c in circuits]
        self.widths = [len(load_circuit(c).qubits) for c in circuits]
        self.shuffle = shuffle
        self.seed(seed)

    def seed(self, seed: int | np.random.Generator | None) -> None:
        """Reseed (and restart the circuit order)."""
        super().seed(seed)
        self.next = 0

    def set_state_attributes(self, **kwargs: Any) -> None:
        graph = kwargs.get("connection_graph")
        if graph is not None and max(self.widths) > graph.number_of_nodes():
            raise ValueError(f"a circuit has {max(self.widths)} qubits; the connection graph "
                             f"has {graph.number_of_nodes()}")

    def generate(self) -> np.ndarray:
        if self.shuffle:
            i = int(self.rng.integers(len(self.circuits)))
        else:
            i, self.next = self.next, (self.next + 1) % len(self.circuits)
        return self.circuits[i].copy()
