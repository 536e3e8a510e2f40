"""Qiskit circuits in and out of front-layer routing.

``front_dag(circuit)``: the two-qubit gates (logical pairs, ``circuit.data`` order, as
``circuits.io.interactions``) and each one's predecessors: the previous two-qubit gate on
each of its qubits, and across a barrier every two-qubit gate before it on the barrier's
qubits. ``write_routed(circuit, events, n)``: the routed circuit on ``n`` physical qubits
from a ``FrontLayerState``'s events. Gates run out of circuit order, so every other
instruction is written when its wires (qubits and clbits) reach it: an instruction waits
until every earlier instruction on each of its wires is written, which keeps each wire's
order and so the circuit's DAG.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from qray.routing.circuits.io import UNROUTED


def _is_two_qubit_gate(inst: Any) -> bool:
    return inst.operation.name not in UNROUTED and len(inst.qubits) == 2


def front_dag(circuit: Any) -> tuple[np.ndarray, list[list[int]]]:
    """(pairs (k, 2), predecessors of each of the k gates)."""
    index = {q: i for i, q in enumerate(circuit.qubits)}
    pairs: list[tuple[int, int]] = []
    preds: list[list[int]] = []
    last: dict[int, set[int]] = {}
    for inst in circuit.data:
        qs = [index[q] for q in inst.qubits]
        if _is_two_qubit_gate(inst):
            g = len(pairs)
            pairs.append((qs[0], qs[1]))
            preds.append(sorted(last.get(qs[0], set()) | last.get(qs[1], set())))
            last[qs[0]] = last[qs[1]] = {g}
        elif len(qs) > 1:  # a barrier (or delay) orders the gates on all its qubits
            joined: set[int] = set().union(*(last.get(q, set()) for q in qs))
            for q in qs:
                last[q] = set(joined)
    return np.asarray(pairs, dtype=np.int64).reshape(-1, 2), preds


def write_routed(circuit: Any, events: list[tuple], n_physical: int) -> tuple[Any, list[int]]:
    """The routed circuit and the final layout (logical -> physical)."""
    from qiskit import QuantumCircuit
    from qiskit.circuit.library import SwapGate

    qindex = {q: i for i, q in enumerate(circuit.qubits)}
    cindex = {c: i for i, c in enumerate(circuit.clbits)}
    data = list(circuit.data)
    wires: list[list[Any]] = []  # per instruction: its wires
    queues: dict[Any, deque[int]] = {}
    gate_at: list[int] = []  # k-th two-qubit gate -> its index in data
    for i, inst in enumerate(data):
        ws = [("q", qindex[q]) for q in inst.qubits] + [("c", cindex[c]) for c in inst.clbits]
        wires.append(ws)
        for w in ws:
            queues.setdefault(w, deque()).append(i)
        if _is_two_qubit_gate(inst):
            gate_at.append(i)
    is_gate = {i: True for i in gate_at}
    released: set[int] = set()  # two-qubit gates the router has run
    written = [False] * len(data)
    where = list(range(n_physical))
    out = QuantumCircuit(n_physical, circuit.num_clbits, global_phase=circuit.global_phase)
    qubits, clbits = out.qubits, out.clbits

    def write(i: int) -> None:
        stack = [i]
        while stack:
            j = stack[-1]
            if written[j]:
                stack.pop()
                continue
            blocker = next((queues[w][0] for w in wires[j] if queues[w][0] != j), None)
            if blocker is not None:
                if is_gate.get(blocker) and blocker not in released:
                    raise RuntimeError(f"instruction {j} waits on two-qubit gate {blocker}, "
                                       "which has not run: the events break the DAG")
                stack.append(blocker)
                continue
            inst = data[j]
            out.append(inst.operation, [qubits[where[qindex[q]]] for q in inst.qubits],
                       [clbits[cindex[c]] for c in inst.clbits])
            for w in wires[j]:
                queues[w].popleft()
            written[j] = True
            stack.pop()

    for event in events:
        if event[0] == "swap":
            _, a, b = event
            out.append(SwapGate(), [qubits[where[a]], qubits[where[b]]])
            where[a], where[b] = where[b], where[a]
        else:
            i = gate_at[event[1]]
            released.add(i)
            write(i)
    if len(released) != len(gate_at):
        raise RuntimeError(f"{len(gate_at) - len(released)} two-qubit gates never ran")
    for i in range(len(data)):
        write(i)
    return out, where[:circuit.num_qubits]
