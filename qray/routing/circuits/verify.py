"""Verification of a routed circuit against its original.

(a) every two-qubit gate acts on adjacent physical qubits; (b) replaying the SWAPs as
relabelings gives back the original circuit's DAG exactly, and ends in the reported final
layout; (c) for at most ``operator_max_qubits`` physical qubits (at most
``OPERATOR_QUBIT_LIMIT`` = 12), the routed unitary followed by the inverse final
permutation equals the original's (``Operator.equiv``). An ``Operator`` that cannot be
built for a unitary circuit fails (c); only a circuit that is not unitary (a measurement
before the end, a reset) skips it, with the reason in ``Verification.notes``.
Adjacency alone is not enough: deleting a SWAP keeps (a) true and breaks (b) and (c).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from qray.routing.circuits.graphs import to_graph
from qray.routing.circuits.io import UNROUTED, expand, load_circuit, routable

#: the most qubits an ``Operator`` check may cover: an Operator on n qubits is a dense
#: 2^n x 2^n complex matrix (16 x 4^n bytes: 256 MiB at 12 qubits, 1 GiB at 13, 4 GiB at
#: 14), two of them are built per circuit and every gate costs O(4^n) to apply
OPERATOR_QUBIT_LIMIT = 12
#: instructions that make a circuit non-unitary (no ``Operator``) where not final
NON_UNITARY = frozenset({"measure", "reset", "initialize", "prepare_state"})


@dataclass
class Verification:
    adjacent: bool
    equivalent: bool
    operator: bool | None  # None: not checked (more than operator_max_qubits qubits, a
    # non-unitary circuit, a non-trivial initial layout: see notes)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # why a check was not made

    @property
    def ok(self) -> bool:
        return self.adjacent and self.equivalent and self.operator is not False


def check_adjacency(routed: Any, graph: nx.Graph) -> list[str]:
    problems = []
    index = {q: i for i, q in enumerate(routed.qubits)}
    for k, inst in enumerate(routed.data):
        if inst.operation.name in UNROUTED or len(inst.qubits) < 2:
            continue
        qs = [index[q] for q in inst.qubits]
        if len(qs) > 2 or not graph.has_edge(qs[0], qs[1]):
            problems.append(f"instruction {k} ({inst.operation.name}) on physical {qs}: "
                            "not adjacent")
    return problems


def _start_holder(initial_layout: list[int], n: int) -> list[int]:
    """Physical -> label at the start: logical qubits where the layout puts them, the
    physical qubits left over get the ancilla labels len(layout).. in order."""
    holder = [-1] * n
    for logical, p in enumerate(initial_layout):
        holder[p] = logical
    spare = iter(range(len(initial_layout), n))
    return [h if h >= 0 else next(spare) for h in holder]


def replay(routed: Any, initial_layout: list[int], n_logical: int) -> tuple[Any, list[int],
                                                                              list[int]]:
    """The routed circuit with its SWAPs replayed as relabelings, on labels (logical
    qubits, then ancillas), its final layout (logical -> physical) and the final
    physical -> label assignment of every qubit."""
    from qiskit import QuantumCircuit

    n = routed.num_qubits
    holder = _start_holder(initial_layout, n)
    index = {q: i for i, q in enumerate(routed.qubits)}
    cindex = {c: i for i, c in enumerate(routed.clbits)}
    out = QuantumCircuit(n, routed.num_clbits, global_phase=routed.global_phase)
    for inst in routed.data:
        phys = [index[q] for q in inst.qubits]
        if inst.operation.name == "swap":
            a, b = phys
            holder[a], holder[b] = holder[b], holder[a]
            continue
        out.append(inst.operation, [out.qubits[holder[p]] for p in phys],
                   [out.clbits[cindex[c]] for c in inst.clbits])
    final = [0] * n
    for p, label in enumerate(holder):
        final[label] = p
    return out, final[:n_logical], holder


def _undo_permutation(routed: Any, start: list[int], end: list[int]) -> Any:
    """``routed`` followed by SWAPs moving every label from where it ends (``end``:
    physical -> label) back to where it started (``start``)."""
    out = routed.copy()
    holder = list(end)
    for target, label in enumerate(start):
        p = holder.index(label)
        if p != target:
            out.swap(p, target)
            holder[p], holder[target] = holder[target], holder[p]
    return out


def verify(original: Any, routed: Any, coupling_map: Any, *,
           operator_max_qubits: int = 10) -> Verification:
    """Check ``routed`` (a ``RoutedCircuit``) against ``original`` on ``coupling_map``;
    ``operator_max_qubits`` must be in [0, ``OPERATOR_QUBIT_LIMIT``]."""
    from qiskit.converters import circuit_to_dag

    check_operator_max_qubits(operator_max_qubits)
    graph = to_graph(coupling_map)
    circ = routable(load_circuit(original))
    circuit = routed.circuit
    problems = check_adjacency(circuit, graph)
    adjacent = not problems
    n = graph.number_of_nodes()
    equivalent = circuit.num_qubits == n
    if not equivalent:
        problems.append(f"routed circuit has {circuit.num_qubits} qubits, the map {n}")
    for name in ("initial_layout", "final_layout"):
        layout = list(getattr(routed, name))
        if (len(layout) != circ.num_qubits or len(set(layout)) != len(layout)
                or any(not 0 <= p < n for p in layout)):
            equivalent = False
            problems.append(f"{name} {layout} is not {circ.num_qubits} distinct physical "
                            f"qubits of the map")
    if equivalent:
        replayed, final, end = replay(circuit, routed.initial_layout, circ.num_qubits)
        if circuit_to_dag(replayed) != circuit_to_dag(expand(circ, n)):
            equivalent = False
            problems.append("SWAP replay does not give back the original circuit")
        if list(final) != list(routed.final_layout):
            equivalent = False
            problems.append(f"final layout {list(routed.final_layout)} differs from the "
                            f"replayed one {final}")
    operator = None
    notes: list[str] = []
    trivial = list(routed.initial_layout) == list(range(len(routed.initial_layout)))
    if n > operator_max_qubits:
        notes.append(f"Operator not checked: {n} qubits > operator_max_qubits "
                     f"{operator_max_qubits}")
    elif not trivial:
        notes.append("Operator not checked: non-trivial initial layout")
    elif equivalent:
        start = _start_holder(list(routed.initial_layout), n)
        try:
            operator = operator_equivalent(circ, circuit, start, end)
        except NonUnitaryError as exc:
            notes.append(f"Operator not checked: {exc}")
        except Exception as exc:  # a unitary circuit whose Operator cannot be built
            operator = False
            problems.append(f"Operator check failed: {type(exc).__name__}: {exc}")
        else:
            if operator is False:
                problems.append("unitaries differ up to the final permutation")
    return Verification(adjacent, equivalent, operator, problems, notes)


def check_operator_max_qubits(value: Any, key: str = "operator_max_qubits") -> int:
    """``value`` as the Operator check's qubit bound, or a ``ConfigError`` naming ``key``."""
    from qray.errors import ConfigError

    if (not isinstance(value, int) or isinstance(value, bool)
            or not 0 <= value <= OPERATOR_QUBIT_LIMIT):
        raise ConfigError(key, value, f"an integer in [0, {OPERATOR_QUBIT_LIMIT}] (an Operator "
                          f"on n qubits is a dense 2^n x 2^n matrix: "
                          f"{16 * 4 ** OPERATOR_QUBIT_LIMIT // 2**20} MiB at "
                          f"{OPERATOR_QUBIT_LIMIT}; larger maps are verified by SWAP replay)")
    return value


class NonUnitaryError(ValueError):
    """A circuit has no ``Operator``: a measurement before its end, a reset."""


def non_unitary_ops(circuit: Any) -> list[str]:
    """Names of the non-unitary instructions of ``circuit`` (final measurements removed)."""
    return sorted({inst.operation.name for inst in circuit.data
                   if inst.operation.name in NON_UNITARY or inst.clbits})


def operator_equivalent(original: Any, routed: Any, start: list[int], end: list[int]) -> bool:
    """Operator check up to the final permutation of every qubit (ancillas included).
    Raises ``NonUnitaryError`` if a circuit is not unitary (a measurement before the end,
    a reset); any other failure to build an Operator propagates (``verify`` fails on it)."""
    from qiskit.quantum_info import Operator

    a = expand(original, routed.num_qubits).remove_final_measurements(inplace=False)
    b = _undo_permutation(routed.remove_final_measurements(inplace=False), start, end)
    bad = non_unitary_ops(a) or non_unitary_ops(b)
    if bad:
        raise NonUnitaryError(f"not unitary ({', '.join(bad)} before the end)")
    return bool(Operator(a).equiv(Operator(b)))
